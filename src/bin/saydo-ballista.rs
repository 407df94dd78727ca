//! `saydo-ballista`: a Ballista cluster's scheduler or executor, for
//! `saydo check --engine ballista --scheduler df://HOST:PORT`, built from
//! this repository (`cargo build --release --features ballista`) where
//! the official `ballista-scheduler` and `ballista-executor` programs are
//! not installed. The flags are theirs, fewer of them; the processes
//! run until they fail or are stopped. Exit 2 on a bad flag or when the
//! process cannot run (a port taken, no scheduler at the address).

#![deny(unsafe_code)]

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use saydo_datafusion::cluster::{self, ExecutorOptions, SchedulerOptions};

/// A Ballista cluster for `saydo check --engine ballista`: start a
/// scheduler, then executors on each worker; executors must read saydo's
/// `--engine-dir` at the same path (a shared file system).
#[derive(Parser)]
#[command(name = "saydo-ballista", version)]
struct Cli {
    #[command(subcommand)]
    role: Role,
    /// Ballista's messages printed on standard error: these and worse.
    #[arg(long, global = true, value_enum, default_value_t = Level::Info)]
    log_level: Level,
}

/// `--log-level`.
#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Off,
    Error,
    Warn,
    Info,
    Debug,
}

impl Level {
    fn filter(self) -> log::LevelFilter {
        match self {
            Level::Off => log::LevelFilter::Off,
            Level::Error => log::LevelFilter::Error,
            Level::Warn => log::LevelFilter::Warn,
            Level::Info => log::LevelFilter::Info,
            Level::Debug => log::LevelFilter::Debug,
        }
    }
}

/// Prints Ballista's log records on standard error, with the time: what
/// a scheduler planned and ran, an executor's failed tasks. (The
/// official programs print them through `tracing-subscriber`, which this
/// build does not have.)
struct Stderr;

impl log::Log for Stderr {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
            eprintln!(
                "{now} {} {}: {}",
                record.level(),
                record.target(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: Stderr = Stderr;

#[derive(Subcommand)]
enum Role {
    /// Run a scheduler: clients connect to it as df://HOST:PORT.
    Scheduler {
        /// Address to listen on.
        #[arg(long, default_value = "0.0.0.0")]
        bind_host: IpAddr,
        /// Port to listen on.
        #[arg(short = 'p', long, default_value_t = 50050)]
        bind_port: u16,
        /// This scheduler's host name, as its jobs' state records it.
        #[arg(long, default_value = "localhost")]
        external_host: String,
    },
    /// Run an executor: registers with the scheduler and runs its tasks.
    Executor {
        /// The scheduler's host name or address.
        #[arg(long, default_value = "localhost")]
        scheduler_host: String,
        /// The scheduler's port.
        #[arg(long, default_value_t = 50050)]
        scheduler_port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "0.0.0.0")]
        bind_host: IpAddr,
        /// Host name the scheduler and clients reach this executor by
        /// (default: the address it connects to the scheduler from).
        #[arg(long)]
        external_host: Option<String>,
        /// Port of the Arrow Flight service that serves task results.
        #[arg(short = 'p', long, default_value_t = 50051)]
        bind_port: u16,
        /// Port of the gRPC service the scheduler hands tasks to.
        #[arg(long, default_value_t = 50052)]
        bind_grpc_port: u16,
        /// Folder for shuffle files (default: a temporary folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Tasks run at once; 0 for the machine's cores.
        #[arg(short = 'c', long, alias = "concurrent-tasks", default_value_t = 0)]
        vcores: usize,
    },
}

fn main() -> ExitCode {
    // A bad flag: clap prints what is wrong and exits with 2.
    let cli = Cli::parse();
    // Only fails when a logger is set already, and none is.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(cli.log_level.filter());
    let (role, result) = match cli.role {
        Role::Scheduler {
            bind_host,
            bind_port,
            external_host,
        } => {
            let bind = SocketAddr::new(bind_host, bind_port);
            eprintln!("saydo-ballista: scheduler listening on {bind}");
            let options = SchedulerOptions {
                bind,
                external_host,
            };
            (
                format!("the scheduler on {bind}"),
                cluster::scheduler(&options),
            )
        }
        Role::Executor {
            scheduler_host,
            scheduler_port,
            bind_host,
            external_host,
            bind_port,
            bind_grpc_port,
            work_dir,
            vcores,
        } => {
            eprintln!(
                "saydo-ballista: executor on {bind_host}:{bind_port} (tasks on \
                 {bind_grpc_port}) joining the scheduler at {scheduler_host}:{scheduler_port}"
            );
            let options = ExecutorOptions {
                scheduler_host,
                scheduler_port,
                bind_host,
                external_host,
                port: bind_port,
                grpc_port: bind_grpc_port,
                work_dir,
                vcores,
            };
            (
                format!("the executor on {bind_host}:{bind_port}"),
                cluster::executor(&options),
            )
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {role} stopped: {e}");
            ExitCode::from(2)
        }
    }
}
