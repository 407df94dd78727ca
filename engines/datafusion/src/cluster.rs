//! A Ballista cluster's own processes: a scheduler, and executors that
//! register with it and run the tasks of its jobs. [`Engine::Ballista`]
//! connects to such a scheduler; these start one from Ballista's library
//! crates, for a cluster (or a test) where the official
//! `ballista-scheduler` and `ballista-executor` programs are not
//! installed. Both keep Ballista's defaults, as those programs do by
//! default: push-staged scheduling (the scheduler pushes each task to an
//! executor with a free slot; scheduler and executors must agree on it)
//! and the cluster's state in the scheduler's memory.
//!
//! Each function runs its process until it fails or is stopped (an
//! executor stops on ctrl-c or SIGTERM, telling the scheduler first).
//!
//! [`Engine::Ballista`]: crate::Engine::Ballista

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::error::{DataFusionError, Result};

/// How a scheduler listens and hands out tasks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchedulerOptions {
    /// Address the scheduler's gRPC service listens on; clients connect
    /// to it as `df://HOST:PORT`, executors with its host and port.
    pub bind: SocketAddr,
    /// The scheduler's name for itself in its jobs' state.
    pub external_host: String,
}

/// Runs a Ballista scheduler until it fails: its error (the address is
/// taken, say) is the only way it returns.
pub fn scheduler(options: &SchedulerOptions) -> Result<()> {
    let mut config = SchedulerConfig::default()
        .with_namespace("ballista")
        .with_hostname(options.external_host.clone())
        .with_port(options.bind.port());
    config.bind_host = options.bind.ip().to_string();
    let bind = options.bind;
    crate::block_on(async move {
        let cluster = BallistaCluster::new_from_config(&config)
            .await
            .map_err(ballista)?;
        start_server(cluster, bind, Arc::new(config))
            .await
            .map_err(ballista)
    })
}

/// Where an executor finds its scheduler, how it serves its results and
/// how many tasks it runs at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorOptions {
    /// The scheduler's host name or address.
    pub scheduler_host: String,
    /// The scheduler's port.
    pub scheduler_port: u16,
    /// Address the executor's services listen on.
    pub bind_host: IpAddr,
    /// Host name the scheduler and clients reach this executor by; `None`
    /// for the address its connection to the scheduler comes from.
    pub external_host: Option<String>,
    /// Port of its Arrow Flight service, which serves its tasks' results
    /// to other executors and to clients.
    pub port: u16,
    /// Port of its gRPC service, through which the scheduler hands it
    /// tasks.
    pub grpc_port: u16,
    /// Folder for its shuffle files (created if need be); `None` for a
    /// temporary one.
    pub work_dir: Option<PathBuf>,
    /// Tasks it runs at once (virtual cores); 0 for the machine's cores.
    pub vcores: usize,
}

/// Registers an executor with its scheduler and runs the tasks it is
/// given, until it fails (no scheduler at the address, a port taken) or
/// is stopped by ctrl-c or SIGTERM.
pub fn executor(options: &ExecutorOptions) -> Result<()> {
    let work_dir = match &options.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let dir = std::path::absolute(dir)?;
            // Ballista keeps the folder as a string.
            let text = dir.to_str().ok_or_else(|| {
                DataFusionError::Configuration(format!(
                    "the work folder {} is not valid UTF-8",
                    dir.display()
                ))
            })?;
            Some(text.to_owned())
        }
        None => None,
    };
    let config = ExecutorProcessConfig {
        scheduler_host: options.scheduler_host.clone(),
        scheduler_port: options.scheduler_port,
        bind_host: options.bind_host.to_string(),
        external_host: options.external_host.clone(),
        port: options.port,
        grpc_port: options.grpc_port,
        work_dir,
        vcores: options.vcores,
        ..ExecutorProcessConfig::default()
    };
    let (host, port) = (options.scheduler_host.clone(), options.scheduler_port);
    crate::block_on(async move {
        start_executor_process(Arc::new(config))
            .await
            .map_err(|e| match e.to_string() {
                // Ballista's message names neither the host nor the port.
                m if m.contains("Could not connect to scheduler") => DataFusionError::Execution(
                    format!("could not connect to the scheduler at {host}:{port}: is it running?"),
                ),
                _ => ballista(e),
            })
    })
}

/// Ballista's errors, as this crate's.
fn ballista(e: impl std::error::Error + Send + Sync + 'static) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}
