//! One module per command.

mod context;
mod daemon;
mod demo;
mod doctor;
mod emit;
mod execution_json;
mod fsm;
mod guard;
mod implement;
mod materialize;
mod merge;
mod merge_driver;
mod move_wp;
mod mv;
mod planning;
mod ready;
mod refs;
mod retrospect;
mod review;
mod serve;
mod shell;
mod status;
mod subtask;
mod validate;

use std::process::ExitCode;

use crate::args::{Cli, Command, FsmCommand};
use crate::error::CliError;
use crate::wiring::Adapters;

/// Runs the parsed command inside a `command` span (`-vv` or `SKITTY_LOG=debug` shows it).
pub async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    use tracing::Instrument as _;
    let span = tracing::info_span!("command", name = cli.command.name());
    let started = std::time::Instant::now();
    let result = dispatch(cli).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::debug!(
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            ok = result.is_ok(),
            "command finished"
        );
    });
    result
}

async fn dispatch(cli: Cli) -> Result<ExitCode, CliError> {
    let adapters = Adapters::new();
    match cli.command {
        Command::Context {
            mission,
            wp,
            op,
            json,
        } => context::run(&adapters, &mission, wp.as_deref(), op, json).await,
        Command::Status { mission, json } => status::run(&adapters, &mission, json).await,
        Command::Ready { mission, json } => ready::run(&adapters, &mission, json).await,
        Command::Implement {
            mission,
            wp_id,
            agent,
            json,
        } => implement::run(&adapters, &mission, &wp_id, &agent, json).await,
        Command::Move {
            mission,
            wp_id,
            to,
            note,
            force,
            reason,
            agent,
            json,
        } => {
            let request = skitty_app::usecases::move_wp::MoveRequest {
                wp_id: wp_id.to_ascii_uppercase(),
                to,
                note,
                force,
                reason,
                agent,
            };
            move_wp::run(&adapters, &mission, request, json).await
        }
        Command::Retrospect {
            mission,
            overwrite,
            json,
        } => retrospect::run(&adapters, &mission, overwrite, json).await,
        Command::Merge {
            mission,
            dry_run,
            strategy,
            resume,
            abort,
            json,
        } => {
            let flags = merge::MergeFlags {
                dry_run,
                strategy: match strategy {
                    crate::args::StrategyArg::Merge => skitty_app::usecases::merge::Strategy::Merge,
                    crate::args::StrategyArg::Squash => {
                        skitty_app::usecases::merge::Strategy::Squash
                    }
                },
                resume,
                abort,
                json,
            };
            merge::run(&adapters, &mission, flags).await
        }
        Command::Review {
            mission,
            wp_id,
            claim: _,
            approve,
            reject,
            reference,
            feedback,
            agent,
            note,
            json,
        } => {
            let verdict = match (approve, reject, reference, feedback) {
                (true, _, Some(reference), _) => {
                    skitty_app::usecases::review::Verdict::Approve { reference }
                }
                (_, true, _, Some(file)) => skitty_app::usecases::review::Verdict::Reject {
                    feedback: review::read_feedback(&file).map_err(|e| e.with_json(json))?,
                },
                _ => skitty_app::usecases::review::Verdict::Claim,
            };
            review::run(
                &adapters,
                &mission,
                &wp_id,
                agent.as_deref(),
                verdict,
                note.as_deref(),
                json,
            )
            .await
        }
        Command::Subtask {
            mission,
            wp_id,
            ids,
            done,
            pending: _,
            agent,
            json,
        } => {
            subtask::run(
                &adapters,
                &mission,
                &wp_id,
                &ids,
                done,
                agent.as_deref(),
                json,
            )
            .await
        }
        Command::Materialize {
            mission,
            dry_run,
            json,
        } => materialize::run(&adapters, &mission, dry_run, json).await,
        Command::Validate { mission, json } => validate::run(&adapters, &mission, json).await,
        Command::Doctor {
            mission,
            json,
            repair,
        } => doctor::run(&adapters, &mission, json, repair).await,
        Command::Refs { command } => refs::run(&adapters, command).await,
        Command::Mv {
            old,
            new,
            mission,
            dry_run,
            json,
        } => mv::run(&adapters, &mission, &old, &new, dry_run, json).await,
        Command::Emit(args) => emit::run(&adapters, &args).await,
        Command::MergeDriverEventLog { base, ours, theirs } => {
            merge_driver::run(&base, &ours, &theirs)
        }
        Command::Daemon { command } => daemon::run_command(&adapters, &command).await,
        Command::Serve {
            command: None,
            port,
            ipv6,
            open,
        } => serve::foreground(adapters, port, ipv6, open).await,
        Command::Serve {
            command: Some(command),
            ..
        } => serve::background(&adapters, &command).await,
        Command::MergeDriverStatusJson {
            base,
            ours,
            theirs,
            path,
        } => merge_driver::status_json(&adapters, &[&base, &ours, &theirs], &path).await,
        Command::Init { dir, json } => planning::init(&adapters, dir.as_deref(), json).await,
        Command::Specify(args) => planning::specify(&adapters, &args).await,
        Command::Plan { mission, json } => planning::plan(&adapters, &mission, json).await,
        Command::Analyze {
            mission,
            input,
            agent,
            check,
            json,
        } => {
            planning::analyze(
                &adapters,
                &mission,
                input.as_deref(),
                agent.as_deref(),
                check,
                json,
            )
            .await
        }
        Command::Tasks {
            mission,
            validate_only,
            json,
        } => planning::tasks(&adapters, &mission, validate_only, json).await,
        Command::Fsm {
            command:
                FsmCommand::Check {
                    from,
                    to,
                    guard,
                    json,
                },
        } => fsm::check(&from, &to, &guard, json),
        Command::Fsm {
            command: FsmCommand::Table { json },
        } => Ok(fsm::table(json)),
        Command::Completions { shell } => shell::completions(shell),
        Command::Demo {
            dir,
            topology,
            json,
        } => demo::run(
            dir.as_deref(),
            skitty_mission::Topology::from(topology).as_str(),
            json,
        ),
        Command::Man { out } => shell::man(out.as_deref()),
    }
}

/// Writes to stdout, ignoring a closed pipe (`skitty status | head`).
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
