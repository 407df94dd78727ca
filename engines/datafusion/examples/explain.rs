//! Prints the physical plan of each stage of the check, as DataFusion
//! runs it here and as Ballista splits it between executors (a Ballista
//! stage ends at each `RepartitionExec`, its shuffle): which keys the
//! joins are partitioned on.
//!
//! ```sh
//! saydo export DATASET --out /tmp/tables
//! cargo run -p saydo-datafusion --example explain -- /tmp/tables
//! ```

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: explain TABLES_DIR (written by `saydo export`)");
        std::process::exit(2);
    };
    let settings = saydo_datafusion::Settings {
        lookback: 365,
        horizon: 730,
        threshold: 2.0,
    };
    let engine = saydo_datafusion::Engine::DataFusion {
        memory_limit: None,
        partitions: None,
    };
    match saydo_datafusion::explain(&engine, std::path::Path::new(&dir), &settings) {
        Ok(text) => print!("{text}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
