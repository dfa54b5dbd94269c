//! The kanban page in a real headless Chromium: every WP in its lane's column, and a card that
//! moves when another process moves the WP, without a reload.

use std::time::{Duration, Instant};

use skitty_tests::browser::Browser;
use skitty_tests::project::Project;
use skitty_tests::server::Server;
use skitty_tests::workspace_root;

fn lane_of(browser: &Browser, wp: &str) -> serde_json::Value {
    browser.eval(&format!(
        "const c = document.querySelector('.card[data-wp=\"{wp}\"]'); return c ? c.closest('.column').dataset.lane : null;"
    ))
}

#[test]
fn the_board_shows_each_wp_in_its_lane_and_moves_a_card_live() {
    let project = Project::new();
    let slug = project.tasked("coord");
    let emit = |wp: &str, lane: &str| project.emit(&slug, wp, lane);
    emit("WP01", "claimed");
    emit("WP02", "claimed");
    emit("WP02", "in_progress");
    let server = Server::start(&project.root);
    let id = server.json("/api/v1/missions")["items"][0]["missionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = server.json(&format!("/api/v1/missions/{id}"));

    let browser = Browser::start();
    browser.open(&format!("http://127.0.0.1:{}/", server.port));
    let cards = browser
        .wait_for(
            &format!(
                "return document.querySelectorAll('.card').length === {} && document.getElementById('live').classList.contains('on');",
                detail["workPackages"].as_array().unwrap().len()
            ),
            Duration::from_secs(10),
        );
    assert!(cards.is_some(), "the board did not render every WP");
    for wp in detail["workPackages"].as_array().unwrap() {
        let id = wp["wpId"].as_str().unwrap();
        assert_eq!(lane_of(&browser, id), wp["statusLane"], "{id}");
    }
    assert_eq!(lane_of(&browser, "WP01"), "claimed");
    let loaded_at = browser.eval("return window.__kanbanLoadedAt;");

    let started = Instant::now();
    emit("WP01", "in_progress");
    let moved = browser.wait_for(
        "const c = document.querySelector('.card[data-wp=\"WP01\"]'); return c && c.closest('.column').dataset.lane === 'in_progress';",
        Duration::from_secs(2),
    );
    let latency = started.elapsed();
    assert!(moved.is_some(), "the card did not move within 2 s");
    assert_eq!(
        browser.eval("return window.__kanbanLoadedAt;"),
        loaded_at,
        "no reload"
    );
    eprintln!("emit to moved card: {latency:?} (including the emit process)");
    // Let the moved card's highlight settle, then keep the picture.
    std::thread::sleep(Duration::from_millis(1300));
    let shot = workspace_root().join("target/screenshots/kanban.png");
    browser.screenshot(&shot);
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "{}",
        shot.display()
    );
}
