//! `skitty serve`: the Mission Status API v1 over a real repository, in a real process, read
//! over real sockets: what it serves, how it streams, what it refuses, and that it changes
//! nothing.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;
use skitty_tests::project::Project;
use skitty_tests::server::Server;
use skitty_tests::tree;

/// A coord mission with its WPs planned, and the server on it.
fn served() -> (Project, String, Server, String) {
    let project = Project::new();
    let slug = project.tasked("coord");
    let server = Server::start(&project.root);
    let missions = server.json("/api/v1/missions");
    let id = missions["items"][0]["missionId"]
        .as_str()
        .unwrap()
        .to_owned();
    (project, slug, server, id)
}

fn events_log(project: &Project, slug: &str) -> PathBuf {
    project
        .coord_worktree(slug)
        .join("kitty-specs")
        .join(slug)
        .join("status.events.jsonl")
}

#[test]
fn the_api_serves_a_mission_from_its_log_and_files() {
    let (project, slug, server, id) = served();
    let meta: Value = serde_json::from_str(
        &fs::read_to_string(project.mission_dir(&slug).join("meta.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(id, meta["mission_id"].as_str().unwrap());

    let header = server.json("/api/v1/project");
    assert_eq!(header["missionCount"], 1);
    assert_eq!(header["currentBranch"], "feat/demo");

    let detail = server.json(&format!("/api/v1/missions/{id}"));
    let wps = detail["workPackages"].as_array().unwrap();
    assert!(wps.len() >= 2, "{detail}");
    assert_eq!(detail["wpTotal"], wps.len());
    assert_eq!(detail["statusLaneCounts"]["planned"], wps.len());
    assert_eq!(detail["lifecycleStatus"], "planned");
    assert_eq!(detail["topology"], "coord");
    assert_eq!(detail["slug"], slug.as_str());
    let phases: Vec<(&str, &str)> = detail["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        phases,
        [
            ("specify", "complete"),
            ("plan", "complete"),
            ("tasks", "complete"),
            ("implement", "pending"),
            ("review", "pending")
        ]
    );
    let cursor = &detail["streamCursor"];
    let log_len = fs::metadata(events_log(&project, &slug)).unwrap().len();
    assert_eq!(
        cursor["offset"], log_len,
        "the cursor is at the end of the log"
    );

    let wp = server.json(&format!("/api/v1/missions/{id}/work-packages/WP01"));
    assert_eq!(wp["statusLane"], "planned");
    assert!(wp.get("promptMarkdown").is_none(), "the prompt is opt-in");
    assert_eq!(wp["history"].as_array().unwrap().len(), 1, "{wp}");
    let with_prompt = server.json(&format!(
        "/api/v1/missions/{id}/work-packages/WP01?includePrompt=true"
    ));
    assert!(!with_prompt["promptMarkdown"].as_str().unwrap().is_empty());
}

#[test]
fn a_transition_reaches_the_stream_the_snapshot_and_a_resumed_stream() {
    let (project, slug, server, id) = served();
    let before = server.json(&format!("/api/v1/missions/{id}"))["streamCursor"].clone();
    let before = format!(
        "{}:{}",
        before["offset"],
        before["invariant"].as_str().unwrap()
    );
    let mut scoped = server.stream(&format!("/api/v1/events?missionId={id}"), "");
    assert!(scoped.head.contains("text/event-stream"), "{}", scoped.head);
    let mut unscoped = server.stream("/api/v1/events", "");

    let started = Instant::now();
    project.emit(&slug, "WP01", "claimed");
    let event = scoped
        .next(Duration::from_secs(2))
        .expect("the transition is streamed within 2 s");
    let latency = started.elapsed();
    assert_eq!(event.name, "status-transition");
    assert_eq!(event.data["wpId"], "WP01");
    assert_eq!(event.data["fromStatusLane"], "planned");
    assert_eq!(event.data["toStatusLane"], "claimed");
    assert_eq!(event.data["missionId"], id.as_str());
    assert_eq!(event.data["actor"]["tool"], "claude");
    let cursor = &event.data["streamCursor"];
    let text = format!(
        "{}:{}",
        cursor["offset"],
        cursor["invariant"].as_str().unwrap()
    );
    assert_eq!(
        event.id.as_deref(),
        Some(text.as_str()),
        "the id is the cursor"
    );
    eprintln!("emit to stream: {latency:?} (including the emit process)");

    let live = unscoped.next(Duration::from_secs(2)).expect("unscoped too");
    assert_eq!(live.data, event.data);
    assert_eq!(live.id, None, "an unscoped stream sends no ids");

    let detail = server.json(&format!("/api/v1/missions/{id}"));
    assert_eq!(detail["statusLaneCounts"]["claimed"], 1);
    assert_eq!(detail["streamCursor"], event.data["streamCursor"]);

    // Resuming from the cursor before the emit replays exactly that event.
    let mut resumed = server.stream(
        &format!("/api/v1/events?missionId={id}&streamCursor={before}"),
        "",
    );
    let replayed = resumed.next(Duration::from_secs(2)).expect("replayed");
    assert_eq!(replayed, event);
    assert_eq!(resumed.next(Duration::from_millis(300)), None);
    // The browser's Last-Event-ID resumes the same way.
    let mut by_header = server.stream(
        &format!("/api/v1/events?missionId={id}"),
        &format!("Last-Event-ID: {before}\r\n"),
    );
    assert_eq!(by_header.next(Duration::from_secs(2)), Some(event));
}

#[test]
fn a_log_that_shrinks_yields_log_truncated_and_never_a_wrong_event() {
    let (project, slug, server, id) = served();
    project.emit(&slug, "WP01", "claimed");
    let _ = server.json(&format!("/api/v1/missions/{id}"));
    let mut stream = server.stream(&format!("/api/v1/events?missionId={id}"), "");
    let log = events_log(&project, &slug);
    let text = fs::read_to_string(&log).unwrap();
    let without_last: String = {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.pop();
        lines.iter().map(|l| format!("{l}\n")).collect()
    };
    fs::write(&log, &without_last).unwrap();
    let event = stream
        .next(Duration::from_secs(2))
        .expect("the truncation is streamed");
    assert_eq!(event.name, "log-truncated");
    assert_eq!(event.id, None, "log-truncated carries no id");
    assert_eq!(event.data["reason"], "size_shrink");
    assert_eq!(event.data["detectedAtOffset"], text.len());
    assert_eq!(event.data["streamCursor"]["offset"], 0);
    let detail = server.json(&format!("/api/v1/missions/{id}"));
    assert_eq!(detail["streamCursor"]["offset"], without_last.len());
    assert_eq!(detail["statusLaneCounts"]["claimed"], 0);
}

/// Every refusal is a problem body with the contract's status and code.
#[test]
fn bad_input_is_refused_as_the_contract_says() {
    let (project, slug, server, id) = served();
    let end = server.json(&format!("/api/v1/missions/{id}"))["streamCursor"].clone();
    let offset = end["offset"].as_u64().unwrap();
    let digest = end["invariant"].as_str().unwrap().to_owned();
    let other = "0".repeat(64);
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/v1/missions/12".into(), 404, "not_found"),
        (format!("/api/v1/missions/{}", slug), 404, "not_found"),
        (
            "/api/v1/missions/01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/missions/{id}/work-packages/WP1"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/missions/{id}/work-packages/WP99"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/missions/{id}/work-packages/..%2F..%2Fetc"),
            404,
            "not_found",
        ),
        (
            format!("/api/v1/missions/{id}/work-packages/WP01?includePrompt=yes"),
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/missions?pageSize=0".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/missions?pageSize=201".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/missions?pageCursor=forged.0000".into(),
            400,
            "invalid_page_cursor",
        ),
        (
            "/api/v1/missions?pageSize=1&pageSize=2".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/missions?unknown=1".into(),
            400,
            "invalid_parameter",
        ),
        (
            format!("/api/v1/events?streamCursor=0:{digest}"),
            400,
            "cursor_without_mission",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor=-5:{digest}"),
            400,
            "negative",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor=1:{digest}"),
            400,
            "misaligned",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor=007:{digest}"),
            400,
            "misaligned",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor=garbage"),
            400,
            "misaligned",
        ),
        (
            format!(
                "/api/v1/events?missionId={id}&streamCursor={}:{digest}",
                offset + 100
            ),
            409,
            "out_of_range",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor={offset}:{other}"),
            409,
            "content_mismatch",
        ),
        (
            format!("/api/v1/events?missionId={id}&streamCursor=0:{other}"),
            409,
            "content_mismatch",
        ),
        (
            "/api/v1/events?missionId=01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            404,
            "not_found",
        ),
        ("/api/v1/nothing-here".into(), 404, "not_found"),
        ("/../../etc/passwd".into(), 404, "not_found"),
    ];
    for (path, status, code) in cases {
        let response = server.get(&path);
        assert_eq!(response.status, status, "GET {path}: {}", response.body);
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/problem+json"),
            "GET {path}"
        );
        let body = response.json();
        assert_eq!(body["code"], code, "GET {path}: {body}");
        assert_eq!(body["status"], status);
        assert!(
            !body["detail"]
                .as_str()
                .unwrap()
                .contains(project.root.to_str().unwrap()),
            "no host path: {body}"
        );
    }

    // A page that rebinds DNS to loopback still sends its own Host: refused.
    let rebinding = server.request(&format!(
        "GET /api/v1/project HTTP/1.1\r\nHost: attacker.example:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(rebinding.status, 421, "{}", rebinding.body);
    let posted = server.request(&format!(
        "POST /api/v1/project HTTP/1.1\r\nHost: localhost:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(posted.status, 405);
    assert_eq!(posted.header("allow").as_deref(), Some("GET, HEAD"));
    assert!(posted.header("access-control-allow-origin").is_none());

    // A huge header is refused, a client that never finishes its request stalls nobody.
    let huge = server.request(&format!(
        "GET /api/v1/project HTTP/1.1\r\nHost: localhost:{}\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        server.port,
        "a".repeat(1 << 20)
    ));
    assert!(
        huge.status == 431 || huge.status == 400 || huge.status == 0,
        "{}",
        huge.status
    );
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    std::io::Write::write_all(&mut slow, b"GET /api/v1/pro").unwrap();
    let started = Instant::now();
    assert_eq!(server.json("/api/v1/project")["missionCount"], 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// #1062: the server never writes, not even the status.json it reads around.
#[test]
fn serving_changes_nothing_in_the_repository_or_its_git_dir() {
    let project = Project::new();
    let slug = project.tasked("coord");
    let worktree = project.coord_worktree(&slug);
    let snapshot = worktree.join("kitty-specs").join(&slug).join("status.json");
    fs::remove_file(&snapshot).unwrap();
    let primary_snapshot = project.mission_dir(&slug).join("status.json");
    let _ = fs::remove_file(&primary_snapshot);
    let before = (tree(&project.root), tree(&worktree));

    let server = Server::start(&project.root);
    let id = server.json("/api/v1/missions")["items"][0]["missionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut streams = vec![
        server.stream("/api/v1/events", ""),
        server.stream(&format!("/api/v1/events?missionId={id}"), ""),
    ];
    for _ in 0..20 {
        for path in [
            "/api/v1/project".to_owned(),
            "/api/v1/missions".to_owned(),
            "/api/v1/missions?pageSize=1".to_owned(),
            format!("/api/v1/missions/{id}"),
            format!("/api/v1/missions/{id}/work-packages/WP01?includePrompt=true"),
            format!("/api/v1/missions/{id}/work-packages/WP02"),
            format!("/api/v1/missions/{id}/work-packages/WP01/detail"),
            format!("/api/v1/missions/{id}/artifacts"),
            format!("/api/v1/missions/{id}/artifacts/content?path=spec.md"),
            format!("/api/v1/missions/{id}/artifacts/content?path=status.json"),
            "/".to_owned(),
            "/assets/kanban.js".to_owned(),
            "/api/v1/missions/nope".to_owned(),
        ] {
            let _ = server.get(&path);
        }
    }
    std::thread::sleep(Duration::from_millis(600));
    for stream in &mut streams {
        assert_eq!(stream.next(Duration::from_millis(50)), None);
    }
    drop(server);
    assert_eq!((tree(&project.root), tree(&worktree)), before);
    assert!(!snapshot.exists(), "nothing recreates status.json");
}

#[test]
fn artifacts_are_listed_and_read_with_the_contracts_refusals() {
    let (project, slug, server, id) = served();
    let dir = project.mission_dir(&slug);
    fs::create_dir_all(dir.join("notes")).unwrap();
    fs::write(
        dir.join("notes/handoff.md"),
        "Work happened in /home/ana/repo and went to ana@example.com.\n",
    )
    .unwrap();
    fs::write(
        dir.join("notes/token.md"),
        format!("ghp_{}\n", "a".repeat(36)),
    )
    .unwrap();
    fs::write(dir.join("notes/binary.bin"), b"a\0b").unwrap();
    fs::write(dir.join("notes/big.md"), "x".repeat(300_000)).unwrap();
    let outside = project.root.join("../outside.md");
    fs::write(&outside, "secret outside").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("notes/link.md")).unwrap();
    std::os::unix::fs::symlink(project.root.join(".git"), dir.join("gitlink")).unwrap();

    let listing = server.json(&format!("/api/v1/missions/{id}/artifacts"));
    let entries = listing["entries"].as_array().unwrap();
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(paths, sorted, "sorted by path bytes");
    for path in [
        "spec.md",
        "plan.md",
        "tasks.md",
        "meta.json",
        "notes/handoff.md",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    for hidden in ["status.events.jsonl", "status.json", "notes/link.md"] {
        assert!(!paths.contains(&hidden), "{hidden} listed");
    }
    assert!(
        !paths.iter().any(|p| p.starts_with("gitlink")),
        "a linked folder is not walked"
    );
    let kind = |path: &str| entries.iter().find(|e| e["path"] == path).unwrap()["kind"].clone();
    assert_eq!(kind("spec.md"), "spec");
    let prompt = paths
        .iter()
        .find(|p| p.starts_with("tasks/WP01-"))
        .unwrap()
        .to_string();
    assert_eq!(kind(&prompt), "work_package_prompt");
    let readable =
        |path: &str| entries.iter().find(|e| e["path"] == path).unwrap()["readable"].clone();
    assert_eq!(readable("notes/handoff.md"), true);
    assert_eq!(readable("notes/token.md"), false);
    assert_eq!(readable("notes/big.md"), false);

    let content = server.json(&format!(
        "/api/v1/missions/{id}/artifacts/content?path=notes%2Fhandoff.md"
    ));
    assert_eq!(
        content["content"],
        "Work happened in [path] and went to [email].\n"
    );
    assert_eq!(content["redacted"], true);
    assert_eq!(content["mediaType"], "text/markdown");
    let spec = server.json(&format!(
        "/api/v1/missions/{id}/artifacts/content?path=spec.md"
    ));
    assert_eq!(spec["kind"], "spec");
    assert_eq!(
        spec["content"],
        fs::read_to_string(dir.join("spec.md")).unwrap()
    );

    let refusals = [
        ("notes/token.md", 422, "artifact_secret"),
        ("notes/binary.bin", 415, "artifact_not_text"),
        ("notes/big.md", 413, "artifact_too_large"),
        ("status.json", 404, "not_found"),
        ("STATUS.EVENTS.JSONL", 404, "not_found"),
        ("notes/link.md", 404, "not_found"),
        ("gitlink/config", 404, "not_found"),
        ("nope.md", 404, "not_found"),
        ("..%2Fmeta.json", 400, "invalid_artifact_path"),
        ("%2E%2E/outside.md", 400, "invalid_artifact_path"),
        ("%2Fetc%2Fpasswd", 400, "invalid_artifact_path"),
        ("notes%5Chandoff.md", 400, "invalid_artifact_path"),
        ("%252E%252E%252Fmeta.json", 404, "not_found"),
        ("%ZZ", 400, "invalid_artifact_path"),
    ];
    for (path, status, code) in refusals {
        let response = server.get(&format!(
            "/api/v1/missions/{id}/artifacts/content?path={path}"
        ));
        assert_eq!(response.status, status, "{path}: {}", response.body);
        assert_eq!(response.json()["code"], code, "{path}");
        assert!(!response.body.contains("secret outside") && !response.body.contains("ghp_"));
    }
    for query in ["", "?path=a.md&path=b.md", "?other=1"] {
        let response = server.get(&format!("/api/v1/missions/{id}/artifacts/content{query}"));
        assert_eq!(response.status, 400, "{query}");
        assert_eq!(response.json()["code"], "invalid_artifact_path");
    }
    let unknown =
        server.get("/api/v1/missions/01ARZ3NDEKTSV4RRFFQ69G5FAV/artifacts/content?path=spec.md");
    assert_eq!(unknown.status, 404);
}

#[test]
fn the_work_package_detail_names_subtasks_dependencies_and_pointers() {
    let (project, slug, server, id) = served();
    let detail = server.json(&format!("/api/v1/missions/{id}/work-packages/WP01/detail"));
    assert_eq!(detail["missionId"], id.as_str());
    assert_eq!(detail["wpId"], "WP01");
    let prompt = detail["artifactReferences"]["prompt"]["path"]
        .as_str()
        .unwrap();
    assert!(prompt.starts_with("tasks/WP01-"), "{detail}");
    assert_eq!(detail["artifactReferences"]["spec"]["path"], "spec.md");
    assert!(project.mission_dir(&slug).join(prompt).is_file());
    let subtasks = detail["subtasks"].as_array().unwrap();
    assert!(!subtasks.is_empty(), "{detail}");
    assert_eq!(detail["reviewCycles"], serde_json::json!([]));
    let dependent = server.json(&format!("/api/v1/missions/{id}/work-packages/WP03/detail"));
    let deps = dependent["dependencies"].as_array().unwrap();
    assert!(
        deps.iter()
            .any(|d| d["wpId"] == "WP01" && d["statusLane"] == "planned"),
        "{dependent}"
    );
    let missing = server.get(&format!("/api/v1/missions/{id}/work-packages/WP77/detail"));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");
}

#[test]
fn a_log_changed_in_place_yields_log_truncated_with_content_mismatch() {
    let (project, slug, server, id) = served();
    project.emit(&slug, "WP01", "claimed");
    let _ = server.json(&format!("/api/v1/missions/{id}"));
    let mut stream = server.stream(&format!("/api/v1/events?missionId={id}"), "");
    let log = events_log(&project, &slug);
    let text = fs::read_to_string(&log).unwrap();
    // The same length, other bytes: only the digest of the last line can tell.
    let changed = text.replacen("\"claude\"", "\"claudf\"", 1);
    assert_eq!(changed.len(), text.len());
    assert_ne!(changed, text);
    fs::write(&log, &changed).unwrap();
    let event = stream
        .next(Duration::from_secs(2))
        .expect("the change is streamed");
    assert_eq!(event.name, "log-truncated");
    assert_eq!(event.data["reason"], "content_mismatch");
    assert_eq!(event.data["detectedAtOffset"], text.len());
    // The old cursor no longer resumes: its line changed.
    let old = format!(
        "{}:{}",
        text.len(),
        skitty_api_digest(text.lines().last().unwrap())
    );
    let refused = server.get(&format!("/api/v1/events?missionId={id}&streamCursor={old}"));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.json()["code"], "content_mismatch");
}

/// The SHA-256 of a line and its newline, as the stream cursor carries it.
fn skitty_api_digest(line: &str) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{line}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

#[test]
fn an_idle_stream_gets_a_heartbeat_within_thirty_seconds() {
    use std::io::{BufRead, BufReader, Write};
    let (_project, _slug, server, id) = served();
    let mut socket = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        socket,
        "GET /api/v1/events?missionId={id} HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(35)))
        .unwrap();
    let started = Instant::now();
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the stream ended");
        if line.trim_end() == ": heartbeat" {
            break;
        }
    }
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(29) && waited < Duration::from_secs(35),
        "{waited:?}"
    );
}
