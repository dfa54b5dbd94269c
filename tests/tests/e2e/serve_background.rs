//! `skitty serve start|status|stop`: one background server per user and repository, through
//! the owner records, singleton lock and liveness probe of every background process.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use skitty_tests::daemons::{Host, alive, eventually};
use skitty_tests::project::Project;

/// Stops the repository's server when the scenario ends, whatever happened.
struct Stops<'a>(&'a Host, &'a Path);

impl Drop for Stops<'_> {
    fn drop(&mut self) {
        let _ = self.0.skitty(self.1, &["serve", "stop"]);
    }
}

fn json(host: &Host, cwd: &Path, args: &[&str]) -> (i32, Value) {
    let run = host.skitty(cwd, args);
    let value = serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    (run.code, value)
}

fn get(url: &str, path: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, _) = rest.split_once('/')?;
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    std::io::Write::write_all(
        &mut stream,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .ok()?;
    let mut body = String::new();
    std::io::Read::read_to_string(&mut stream, &mut body).ok()?;
    Some(body)
}

#[test]
fn one_background_server_per_repository_started_reused_and_stopped() {
    let project = Project::new();
    project.tasked("coord");
    let host = Host::new(project.root.parent().unwrap());
    let _stops = Stops(&host, &project.root);

    let (code, started) = json(
        &host,
        &project.root,
        &["serve", "start", "--port", "0", "--json"],
    );
    assert_eq!(code, 0, "{started}");
    assert_eq!(started["started"], true);
    let url = started["url"].as_str().unwrap().to_owned();
    let pid = started["pid"].as_u64().unwrap() as u32;
    assert!(alive(pid));
    let body = get(&url, "/api/v1/project").expect("the server answers");
    assert!(body.contains("\"missionCount\":1"), "{body}");

    // A second start reuses it; status names it; neither carries a token.
    let (_, again) = json(
        &host,
        &project.root,
        &["serve", "start", "--port", "0", "--json"],
    );
    assert_eq!(again["started"], false);
    assert_eq!(again["pid"], started["pid"]);
    let (code, status) = json(&host, &project.root, &["serve", "status", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(status["state"], "running");
    assert_eq!(status["url"], url.as_str());
    assert!(!status.to_string().to_lowercase().contains("token"));
    let record = host
        .state
        .join("skitty/daemons")
        .join(format!("serve-{}", started["scope"].as_str().unwrap()))
        .join("owner.json");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&record).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    let (code, stopped) = json(&host, &project.root, &["serve", "stop", "--json"]);
    assert_eq!(code, 0, "{stopped}");
    assert_eq!(stopped["pid"], started["pid"]);
    assert!(eventually(Duration::from_secs(5), || !alive(pid)));
    let (code, status) = json(&host, &project.root, &["serve", "status", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(status["state"], "stopped");
    assert!(get(&url, "/api/v1/project").is_none_or(|b| b.is_empty()));
}

#[test]
fn a_killed_server_reads_as_stale_and_start_replaces_it() {
    let project = Project::new();
    project.tasked("coord");
    let host = Host::new(project.root.parent().unwrap());
    let _stops = Stops(&host, &project.root);
    let (_, first) = json(
        &host,
        &project.root,
        &["serve", "start", "--port", "0", "--json"],
    );
    let pid = first["pid"].as_u64().unwrap() as u32;
    nix_kill(pid);
    assert!(eventually(Duration::from_secs(5), || !alive(pid)));
    let (code, status) = json(&host, &project.root, &["serve", "status", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(status["state"], "stale");
    let (_, second) = json(
        &host,
        &project.root,
        &["serve", "start", "--port", "0", "--json"],
    );
    assert_eq!(second["started"], true);
    assert_ne!(second["pid"], first["pid"]);
    assert!(get(second["url"].as_str().unwrap(), "/api/v1/project").is_some());
}

/// SIGKILL, as a crash would end it (the test's own process, sent by the kill program).
fn nix_kill(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
