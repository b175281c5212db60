# SPDX-License-Identifier: ISC
# fish completion for lull(1). Program, sound and reminder names come from
# lull itself (list --names, sounds --names, remind list --ids).

set -l cmds start list show check sounds render remind stats checkin status ssh help
complete -c lull -f
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a start -d 'run a program'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a list -d 'list the programs'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a show -d 'print a program'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a check -d 'validate session files'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a sounds -d 'list the sounds'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a render -d "write a program's audio"
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a remind -d 'evening reminders'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a stats -d 'practice history'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a checkin -d 'morning follow-up'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a status -d 'one line for a status bar or prompt'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a ssh -d 'run lull on another machine, its sound here'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -a help -d "the help, or a command's"
complete -c lull -n "__fish_seen_subcommand_from help" -a 'start list show check sounds render remind stats checkin status ssh'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -l help -d 'show help'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -l version -d 'show the version'
complete -c lull -n "not __fish_seen_subcommand_from $cmds" -l verbose -d 'a debug log'

# programs: yours and the built-ins, or a session file
complete -c lull -n "__fish_seen_subcommand_from start show render; and not __fish_prev_arg_in --cycles --minutes --sound -o --output --audio-driver" \
	-a '(lull list --names 2>/dev/null)' -d program
complete -c lull -n "__fish_seen_subcommand_from start show render check" -F -a '(__fish_complete_suffix .session)'

complete -c lull -n "__fish_seen_subcommand_from start" -l cycles -x -d 'breathing cycles'
complete -c lull -n "__fish_seen_subcommand_from start" -l minutes -x -d 'about this many minutes'
complete -c lull -n "__fish_seen_subcommand_from start" -l plain -d 'one line per change'
complete -c lull -n "__fish_seen_subcommand_from start" -l dark -d 'dim step by step to black'
complete -c lull -n "__fish_seen_subcommand_from start" -l no-dark -d 'keep the screen lit'
complete -c lull -n "__fish_seen_subcommand_from start" -l no-audio -d 'no sound'
complete -c lull -n "__fish_seen_subcommand_from start" -l audio -d 'sound even over SSH'
complete -c lull -n "__fish_seen_subcommand_from start" -l audio-driver -x -a 'pulse alsa oss null' -d 'libao driver'
complete -c lull -n "__fish_seen_subcommand_from start render" -l sound -x -a '(lull sounds --names 2>/dev/null; echo none)' -d 'an ambient layer'
complete -c lull -n "__fish_seen_subcommand_from start render" -l follow -d 'swell with the breath'
complete -c lull -n "__fish_seen_subcommand_from start render" -l voice -d 'speak the guidance'
complete -c lull -n "__fish_seen_subcommand_from start render" -l no-voice -d 'do not speak it'
complete -c lull -n "__fish_seen_subcommand_from start" -l bell -d 'ring the bell at phase changes'
complete -c lull -n "__fish_seen_subcommand_from start" -l checkin -d 'ask before and after'
complete -c lull -n "__fish_seen_subcommand_from render" -s o -l output -r -F -d 'the file to write'
complete -c lull -n "__fish_seen_subcommand_from render" -l cycles -x -d 'breathing cycles'
complete -c lull -n "__fish_seen_subcommand_from render" -l minutes -x -d 'about this many minutes'
complete -c lull -n "__fish_seen_subcommand_from start render" -l cues -d 'the phase and step tones'
complete -c lull -n "__fish_seen_subcommand_from start render" -l no-cues -d 'no cues'
complete -c lull -n "__fish_seen_subcommand_from check" -s q -l quiet -d 'only the errors'
complete -c lull -n "__fish_seen_subcommand_from list" -l json -d 'as JSON'
complete -c lull -n "__fish_seen_subcommand_from list" -l names -d 'the names alone'
complete -c lull -n "__fish_seen_subcommand_from sounds" -l names -d 'the names alone'
complete -c lull -n "__fish_seen_subcommand_from stats" -l json -d 'as JSON'
complete -c lull -n "__fish_seen_subcommand_from stats" -l csv -d 'as CSV'
complete -c lull -n "__fish_seen_subcommand_from stats" -l since -x -d 'from this date (YYYY-MM-DD)'
complete -c lull -n "__fish_seen_subcommand_from stats" -l compact -d 'rewrite the file cleanly'
complete -c lull -n "__fish_seen_subcommand_from checkin" -l sleep -x -d 'sleep quality 0-10'
complete -c lull -n "__fish_seen_subcommand_from checkin" -l pain -x -d 'pain on waking 0-10'
complete -c lull -n "__fish_seen_subcommand_from checkin" -l area -x -a 'neck shoulders "upper back" "lower back" head jaw other' -d where
complete -c lull -n "__fish_seen_subcommand_from checkin" -l replace -d "replace this night's check-in"

set -l rcmds add list remove rm snooze skip check daemon
complete -c lull -n "__fish_seen_subcommand_from remind; and not __fish_seen_subcommand_from $rcmds" -a "$rcmds"
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from add" -l days -x \
	-a '(__fish_complete_list , "printf %s\n daily weekdays weekends mon tue wed thu fri sat sun")' -d 'the days'
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from add" -l session -x -a '(lull list --names 2>/dev/null)' -d 'the program'
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from add" -l message -x -d 'the words'
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from list" -l ids -d 'the ids alone'
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from remove rm" -a '(lull remind list --ids 2>/dev/null)' -d 'reminder id'
complete -c lull -n "__fish_seen_subcommand_from remind; and __fish_seen_subcommand_from daemon" -l detach -d 'run in the background'
complete -c lull -n "__fish_seen_subcommand_from status" -l format -x -d 'what to print (%n %t %T %w %g)'

# lull ssh [-o OPTION]... HOST [COMMAND [ARGS...]]: the host, then lull's command there
function __lull_ssh_words -d 'how many words after lull ssh are not its options'
    set -l n 0
    set -l i 0
    set -l skip 0
    for x in (commandline -opc)
        set i (math $i + 1)
        if test $i -le 2
            continue
        else if test $skip = 1
            set skip 0
        else if test "$x" = -o
            set skip 1
        else if not string match -q -- '-*' $x
            set n (math $n + 1)
        end
    end
    echo $n
end
complete -c lull -n "__fish_seen_subcommand_from ssh; and test (__lull_ssh_words) -eq 0" -a '(__fish_print_hostnames)' -d host
complete -c lull -n "__fish_seen_subcommand_from ssh; and test (__lull_ssh_words) -eq 1" \
	-a 'start list show check sounds render remind stats checkin status' -d 'lull command on the host'
complete -c lull -n "__fish_seen_subcommand_from ssh" -s o -x -d 'an ssh option (as ssh -o takes it)'
complete -c lull -n "__fish_seen_subcommand_from ssh" -l help -d 'show help'
