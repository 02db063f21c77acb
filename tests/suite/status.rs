//! `status` (what needs attention, told by the exit status) and `calendar` (an iCalendar file)
//! on the `status` fixture: a goal due 2026-06-30, a feedback follow-up on 2026-06-20 with an
//! open action, a met goal, and a 1:1 on 2026-06-01 that shows every practice.

use std::collections::BTreeMap;

use crate::common;

use common::Playbook;

/// `status --today day`'s output, after checking its exit status.
fn status_on(playbook: &Playbook, day: &str, code: i32) -> String {
    let run = playbook.run(&["status", "--today", day]);
    assert_eq!(run.code, code, "{}{}", run.stdout, run.stderr);
    run.stdout
}

#[test]
fn status_exits_0_before_the_due_dates_and_3_after() {
    let playbook = Playbook::fixture("status");

    assert_eq!(
        status_on(&playbook, "2026-06-10", 0),
        "status on 2026-06-10\n\
         last 1:1 with Dana Boss: 9 days ago (2026-06-01)\n\
         entries this month: 1\n\
         nothing needs attention\n"
    );

    assert_eq!(
        status_on(&playbook, "2026-07-01", 3),
        "status on 2026-07-01\n\
         last 1:1 with Dana Boss: 30 days ago (2026-06-01)\n\
         overdue actions: 1\n  \
         - Write the incident timeline (feedback/retro-notes, follow up 2026-06-20)\n\
         goals due within 14 days: 1\n  \
         - Ship v2, the ledger; finally (goals/ship-v2, overdue since 2026-06-30, 40%)\n\
         entries this month: 0\n\
         2 things need attention\n"
    );
}

#[test]
fn status_tells_goals_due_within_14_days_and_quiet_practices() {
    let playbook = Playbook::fixture("status");
    // 14 days before the goal is due: told, though nothing is late yet.
    let stdout = status_on(&playbook, "2026-06-16", 3);
    assert!(
        stdout.contains("  - Ship v2, the ledger; finally (goals/ship-v2, due 2026-06-30, 40%)\n"),
        "{}",
        stdout
    );
    assert!(!stdout.contains("overdue actions"), "{}", stdout);

    // More than stale_after_days (45) after the last entry every practice goes quiet.
    let stdout = status_on(&playbook, "2026-07-20", 3);
    assert!(
        stdout.contains("practices going quiet: 9: Learn their goals (49 days ago), "),
        "{}",
        stdout
    );
}

#[test]
fn status_errors_keep_exit_status_1_and_usage_errors_2() {
    let playbook = Playbook::fixture("status");
    let run = playbook.run(&["status", "--today", "2026-13-01"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    playbook.write(
        "content/goals/broken.md",
        "---\ntitle: x\ndate: 2026-01-01\nstatus: done\n---\n",
    );
    let run = playbook.run(&["status", "--today", "2026-06-10"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/goals/broken.md:4:9"),
        "{}",
        run.stderr
    );
}

/// The events of an iCalendar text, by UID, each a map of property (with its parameters) to
/// value; checks the line rules on the way.
fn parse_events(ics: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    assert!(ics.ends_with("\r\n"), "the last line ends in CRLF");
    let physical: Vec<&str> = ics.split_terminator("\r\n").collect();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare newline in {line:?}"
        );
        assert!(line.len() <= 75, "longer than 75 octets: {line:?}");
    }
    // Unfold: a line starting with a space continues the one before.
    let mut lines: Vec<String> = Vec::new();
    for line in physical {
        match line.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a line to continue").push_str(rest),
            None => lines.push(line.to_string()),
        }
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut events = BTreeMap::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in &lines[1..lines.len() - 1] {
        let (name, value) = line.split_once(':').expect("NAME:value");
        match (name, current.as_mut()) {
            ("BEGIN", None) => {
                assert_eq!(value, "VEVENT");
                current = Some(BTreeMap::new());
            }
            ("END", Some(_)) => {
                assert_eq!(value, "VEVENT");
                let event = current.take().unwrap();
                let uid = event.get("UID").expect("every event has a UID").clone();
                assert!(events.insert(uid, event).is_none(), "UIDs are unique");
            }
            (_, Some(event)) => {
                assert!(event.insert(name.to_string(), value.to_string()).is_none());
            }
            (_, None) => {}
        }
    }
    assert!(current.is_none(), "every VEVENT ends");
    events
}

#[test]
fn calendar_has_an_event_per_follow_up_and_goal_due_date_with_stable_uids() {
    let playbook = Playbook::fixture("status");
    let run = playbook.run(&["calendar", "--today", "2026-06-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = playbook.run(&["calendar", "--today", "2026-06-10"]);
    assert_eq!(
        run.stdout, again.stdout,
        "the same day gives the same bytes"
    );

    let events = parse_events(&run.stdout);
    let uids: Vec<&str> = events.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        [
            "follow-up.feedback/retro-notes@playbook",
            "goal-due.goals/old-goal@playbook",
            "goal-due.goals/ship-v2@playbook",
        ]
    );
    let follow_up = &events["follow-up.feedback/retro-notes@playbook"];
    assert_eq!(follow_up["DTSTART;VALUE=DATE"], "20260620");
    assert_eq!(follow_up["DTEND;VALUE=DATE"], "20260621");
    assert_eq!(follow_up["DTSTAMP"], "20260610T000000Z");
    assert_eq!(
        follow_up["SUMMARY"],
        "Follow up: Retro notes from Dana about the incident review and the follow-up plan for the quarter"
    );
    assert_eq!(
        follow_up["DESCRIPTION"],
        "Retro notes from Dana about the incident review and the follow-up plan for the quarter\
         \\ncontent/feedback/retro-notes.md\\nOpen actions:\\n- Write the incident timeline"
    );
    let goal = &events["goal-due.goals/ship-v2@playbook"];
    assert_eq!(goal["DTSTART;VALUE=DATE"], "20260630");
    assert_eq!(goal["DTEND;VALUE=DATE"], "20260701");
    assert_eq!(
        goal["SUMMARY"],
        "Goal due: Ship v2\\, the ledger\\; finally"
    );
    assert!(!goal.contains_key("STATUS"));
    let met = &events["goal-due.goals/old-goal@playbook"];
    assert_eq!(met["DTSTART;VALUE=DATE"], "20260501");
    assert_eq!(met["STATUS"], "CANCELLED");

    // Another day: new stamps, the same events under the same UIDs.
    let later = parse_events(&playbook.run(&["calendar", "--today", "2026-07-01"]).stdout);
    assert_eq!(
        later.keys().collect::<Vec<_>>(),
        events.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        later["goal-due.goals/ship-v2@playbook"]["DTSTAMP"],
        "20260701T000000Z"
    );
}

#[test]
fn calendar_has_an_event_per_action_due_date_and_cancels_done_ones() {
    let playbook = Playbook::fixture("status");
    playbook.write(
        "content/conversations/planning.md",
        "---\ntitle: Planning\ndate: 2026-06-05\nwith: dana\nactions:\n  \
         - { task: Draft the RFC, done: false, due: 2026-06-12 }\n  \
         - { task: No date of its own, done: false }\n  \
         - { task: Send the notes, done: true, due: 2026-06-06 }\n---\n",
    );
    let run = playbook.run(&["calendar", "--today", "2026-06-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events = parse_events(&run.stdout);
    let actions: Vec<&str> = events
        .keys()
        .map(String::as_str)
        .filter(|uid| uid.starts_with("action-due."))
        .collect();
    // The second action has no due date: no event of its own (the UIDs number actions by
    // their place in the list, so adding one at the end moves no event).
    assert_eq!(
        actions,
        [
            "action-due.conversations/planning.1@playbook",
            "action-due.conversations/planning.3@playbook",
        ]
    );
    let open = &events["action-due.conversations/planning.1@playbook"];
    assert_eq!(open["DTSTART;VALUE=DATE"], "20260612");
    assert_eq!(open["DTEND;VALUE=DATE"], "20260613");
    assert_eq!(open["SUMMARY"], "Action due: Draft the RFC");
    assert_eq!(
        open["DESCRIPTION"],
        "Planning\\ncontent/conversations/planning.md"
    );
    assert!(!open.contains_key("STATUS"));
    let done = &events["action-due.conversations/planning.3@playbook"];
    assert_eq!(done["DTSTART;VALUE=DATE"], "20260606");
    assert_eq!(done["STATUS"], "CANCELLED");
}
