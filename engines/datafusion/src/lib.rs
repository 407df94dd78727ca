//! saydo's check on Apache DataFusion, and distributed with Ballista.
//!
//! The caller (saydo, with its `datafusion` feature) validates and
//! resolves a dataset, hands its records and chains of roles over as
//! plain columns ([`Input`]), which are written as Parquet files
//! ([`Input::write_parquet`]); [`check`] then runs the pairing, the
//! verdicts, the severities, the claims' verdicts and the actors'
//! summaries as SQL plans ([`plan`]) over those files, and gives the rows
//! back ([`Output`]) in report order. [`trend`] runs the same pairing
//! and counts words, deeds and pairs per principal actor, target and
//! period ([`CellRow`]). This crate knows nothing of saydo's types; saydo
//! turns the rows into its own report (or trend) and prints it.
//!
//! [`Engine::DataFusion`] runs in-process, with a memory limit past which
//! sorts and joins spill to disk; with the `ballista` feature,
//! [`Engine::BallistaStandalone`] starts a Ballista scheduler and executor
//! in-process and [`Engine::Ballista`] connects to a cluster's scheduler,
//! which [`cluster`] starts, with its executors, as processes of their own.

#![deny(missing_docs)]

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Float64Type, Int64Type};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use futures::StreamExt;

#[cfg(feature = "ballista")]
pub mod cluster;
pub mod plan;
pub mod tables;

pub use tables::{Actors, Chains, Input, Records, Roles, TABLES, Topics};

/// The window and the threshold of a check (saydo's `Settings`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Days before a claim's first day an action may start.
    pub lookback: u32,
    /// Days after a claim's last day an action may start.
    pub horizon: u32,
    /// Smallest |stance| and |effect| that take a side.
    pub threshold: f64,
}

/// Where the plans run.
#[derive(Clone, Debug, PartialEq)]
pub enum Engine {
    /// DataFusion in this process. With a memory limit (bytes), joins are
    /// sort-merge joins and sorts and joins spill to disk past it.
    DataFusion {
        /// Most memory the plans' operators may hold.
        memory_limit: Option<usize>,
        /// Partitions (threads) of each operator; `None` for the cores.
        partitions: Option<usize>,
    },
    /// A Ballista scheduler and executor started in this process.
    #[cfg(feature = "ballista")]
    BallistaStandalone,
    /// A Ballista cluster, through its scheduler (`df://host:50050`). The
    /// input folder must be readable by every executor at the same path.
    #[cfg(feature = "ballista")]
    Ballista {
        /// The scheduler's URL.
        scheduler: String,
    },
}

/// A pair's verdict, as [`plan::pairs`] codes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A contradiction: warm words, hostile deed.
    Duplicity,
    /// A contradiction: hostile words, helpful deed.
    Bluster,
    /// Opposite sides, the deed answering a deed of the claim's target.
    Reciprocal,
    /// The same side.
    Consistent,
    /// Too mild to take a side.
    Neutral,
}

/// A claim's verdict over its pairs, as [`plan::claims`] codes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimVerdict {
    /// Contradictions and nothing consistent.
    Contradicted,
    /// Contradictions and consistent pairs.
    Mixed,
    /// Consistent pairs, no contradiction.
    Upheld,
    /// Neither.
    Untested,
}

/// A pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairRow {
    /// The claim's index.
    pub claim: u32,
    /// The action's index.
    pub action: u32,
    /// The verdict.
    pub verdict: Verdict,
    /// The severity in units of 0.0001.
    pub severity_units: u16,
}

/// A claim's verdict and counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClaimRow {
    /// The claim's index.
    pub claim: u32,
    /// Its verdict.
    pub verdict: ClaimVerdict,
    /// Its pairs.
    pub pairs: u32,
    /// Its contradictions.
    pub contradictions: u32,
    /// Its consistent pairs.
    pub consistent: u32,
    /// Its reciprocal pairs.
    pub reciprocal: u32,
    /// Its neutral pairs.
    pub neutral: u32,
    /// The highest severity of its contradictions.
    pub worst: Option<f64>,
}

/// Pairs counted by verdict, with the sums of their severities: an
/// actor's ([`ActorRow`]) or a trend cell's ([`CellRow`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairCounts {
    /// The pairs.
    pub pairs: u32,
    /// Those that contradict.
    pub contradictions: u32,
    /// Of those, duplicity.
    pub duplicity: u32,
    /// Of those, bluster.
    pub bluster: u32,
    /// Consistent pairs.
    pub consistent: u32,
    /// Reciprocal pairs.
    pub reciprocal: u32,
    /// Neutral pairs.
    pub neutral: u32,
    /// Sum of the consistent pairs' severities, in units of 0.0001.
    pub sev_consistent_units: u64,
    /// Sum of the contradictions' severities, in units of 0.0001.
    pub sev_contradiction_units: u64,
}

/// An actor's summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActorRow {
    /// The actor's index.
    pub actor: u32,
    /// Claims made by it or on its behalf.
    pub claims: u32,
    /// Actions done by it or on its behalf.
    pub actions: u32,
    /// The pairs either record answers to it in.
    pub counts: PairCounts,
    /// The say-do consistency index, to four decimals.
    pub consistency: Option<f64>,
}

/// What a check gives back, in report order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Pairs by claim id, then action id.
    pub pairs: Vec<PairRow>,
    /// Every claim, by id.
    pub claims: Vec<ClaimRow>,
    /// Actors with a record or a pair, by id.
    pub actors: Vec<ActorRow>,
}

/// How long a period of the trend is (saydo's `--by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Calendar months, numbered `year * 12 + month - 1`.
    Month,
    /// Calendar quarters, numbered `year * 4 + quarter - 1`.
    Quarter,
    /// Calendar years, numbered by the year.
    Year,
}

/// A cell of the trend: a principal actor, a target principal, a period.
///
/// The stances and effects are summed here, from lists the plan gives in
/// id order ([`plan::trend`]), one by one from `0.0`, and not by a SQL
/// `SUM`: scores are any `f64` in [-10, 10], floating-point addition is
/// not associative, and a `SUM` adds in the order its partitions and
/// threads meet, so its last bit may differ from run to run and from
/// saydo's own trend (which adds in id order), and a mean rounded to four
/// decimals can then print differently. Whole numbers (counts, severities
/// in units of 0.0001) are summed in SQL: they are exact in any order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellRow {
    /// The principal actor's index.
    pub actor: u32,
    /// The target principal's index; `None` for records without a target.
    pub target: Option<u32>,
    /// The period's number (see [`Period`]).
    pub period: i32,
    /// Claims in the cell.
    pub claims: u32,
    /// Their stances, summed in id order from `0.0`.
    pub stance_sum: f64,
    /// Actions in the cell.
    pub actions: u32,
    /// Their effects, summed in id order from `0.0`.
    pub effect_sum: f64,
    /// The pairs whose claim is in the cell.
    pub counts: PairCounts,
}

/// Runs the trend on the Parquet tables in `dir` (written by
/// [`Input::write_parquet`]): the check's stages ([`plan::stages`]), whose
/// pairs it counts, then the trend's ([`plan::trend_stages`]); gives every
/// cell with a record, by actor id, target id (none first), then period.
pub fn trend(engine: &Engine, dir: &Path, settings: &Settings, by: Period) -> Result<Vec<CellRow>> {
    block_on(async {
        let ctx = context(engine).await?;
        register(&ctx, dir).await?;
        run_stages(&ctx, dir, settings).await?;
        for (name, sql) in plan::trend_stages(by) {
            write_stage(&ctx, dir, name, &sql).await?;
        }
        cell_rows(&collect(&ctx, &plan::trend()).await?)
    })
}

/// Runs the check on the Parquet tables in `dir` (written by
/// [`Input::write_parquet`]); each stage of [`plan::stages`] is written
/// under `dir/stages/` and read from there by the next.
pub fn check(engine: &Engine, dir: &Path, settings: &Settings) -> Result<Output> {
    block_on(async {
        let ctx = context(engine).await?;
        register(&ctx, dir).await?;
        run_stages(&ctx, dir, settings).await?;
        let pairs = pair_rows(&ctx).await?;
        let claims = collect(&ctx, &plan::claims()).await?;
        let actors = collect(&ctx, &plan::actors()).await?;
        Ok(Output {
            pairs,
            claims: claim_rows(&claims)?,
            actors: actor_rows(&actors)?,
        })
    })
}

/// The physical plans of the stages, as `EXPLAIN` prints them: where the
/// work is split (repartitioned by principal) and joined.
pub fn explain(engine: &Engine, dir: &Path, settings: &Settings) -> Result<String> {
    block_on(async {
        let ctx = context(engine).await?;
        register(&ctx, dir).await?;
        let mut out = String::new();
        for (name, sql) in plan::stages(settings) {
            let batches = collect(&ctx, &format!("EXPLAIN {sql}")).await?;
            out.push_str(&format!("## {name}\n\n"));
            for b in &batches {
                let (kind, text) = (
                    b.column(0).as_string::<i32>(),
                    b.column(1).as_string::<i32>(),
                );
                for i in 0..b.num_rows() {
                    out.push_str(&format!("{}:\n{}\n\n", kind.value(i), text.value(i)));
                }
            }
            write_stage(&ctx, dir, name, &sql).await?;
        }
        Ok(out)
    })
}

async fn run_stages(ctx: &SessionContext, dir: &Path, settings: &Settings) -> Result<()> {
    for (name, sql) in plan::stages(settings) {
        write_stage(ctx, dir, name, &sql).await?;
    }
    Ok(())
}

/// Runs a stage's query, writes its rows to `dir/stages/NAME/` and
/// registers them as the table `NAME`.
async fn write_stage(ctx: &SessionContext, dir: &Path, name: &str, sql: &str) -> Result<()> {
    let out = std::path::absolute(dir.join("stages").join(name))?;
    std::fs::create_dir_all(&out)?;
    let df = ctx.sql(sql).await?;
    let schema = df.schema().as_arrow().clone();
    let path = format!("{}/", out.to_string_lossy());
    df.write_parquet(&path, DataFrameWriteOptions::new(), None)
        .await?;

    let schema = tables::nullable(&schema);
    if std::fs::read_dir(&out)?.next().is_none() {
        tables::write_parquet(&out.join("empty.parquet"), &tables::null_row(&schema)?)?;
    }
    let options = ParquetReadOptions::default().schema(&schema);
    ctx.register_parquet(name, &path, options).await
}

/// Stack of the threads that plan and run the queries: planning recurses
/// over the plans' trees, deeper than the 2 MB threads start with
/// (DataFusion's own advice for large queries, more so unoptimised).
const STACK: usize = 64 << 20;

/// Runs `f` to completion on a runtime of its own, planned and driven on
/// threads with a [`STACK`]-sized stack.
fn block_on<T: Send>(f: impl Future<Output = Result<T>> + Send) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(STACK)
        .build()
        .map_err(DataFusionError::IoError)?;
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("saydo-datafusion".into())
            .stack_size(STACK)
            .spawn_scoped(scope, || runtime.block_on(f))
            .map_err(DataFusionError::IoError)?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

async fn context(engine: &Engine) -> Result<SessionContext> {
    match engine {
        Engine::DataFusion {
            memory_limit,
            partitions,
        } => {
            let mut config = SessionConfig::new();
            if let Some(n) = partitions {
                config = config.with_target_partitions(*n);
            }
            let mut runtime = RuntimeEnvBuilder::new();
            if let Some(limit) = memory_limit {
                // Hash joins hold their build side in memory; sort-merge
                // joins spill.
                config = config.set_bool("datafusion.optimizer.prefer_hash_join", false);
                runtime = runtime.with_memory_pool(Arc::new(FairSpillPool::new(*limit)));
            }
            Ok(SessionContext::new_with_config_rt(
                config,
                runtime.build_arc()?,
            ))
        }
        #[cfg(feature = "ballista")]
        Engine::BallistaStandalone => {
            use ballista::prelude::SessionContextExt;
            SessionContext::standalone().await
        }
        #[cfg(feature = "ballista")]
        Engine::Ballista { scheduler } => {
            use ballista::prelude::SessionContextExt;
            let ctx = SessionContext::remote(scheduler).await?;
            let url = scheduler.clone();
            tokio::task::spawn_blocking(move || reachable(&url))
                .await
                .map_err(|e| DataFusionError::External(Box::new(e)))??;
            Ok(ctx)
        }
    }
}

/// The port of a scheduler URL without one, as Ballista takes it.
#[cfg(feature = "ballista")]
const SCHEDULER_PORT: u16 = 50050;

/// Connects to the scheduler's address, and lets go: Ballista connects
/// only when the first plan runs, and its error then is a transport
/// error that does not say it was the scheduler it could not reach.
/// Fails when no address of its host takes a connection in 10 seconds.
#[cfg(feature = "ballista")]
fn reachable(scheduler: &str) -> Result<()> {
    let fail = |why: &dyn std::fmt::Display| {
        DataFusionError::Execution(format!(
            "cannot reach the Ballista scheduler at {scheduler}: {why}"
        ))
    };
    let url = url::Url::parse(scheduler).map_err(|e| fail(&e))?;
    let addrs = url
        .socket_addrs(|| Some(SCHEDULER_PORT))
        .map_err(|e| fail(&e))?;
    let mut last = None;
    for addr in addrs {
        match std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(10)) {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => fail(&e),
        None => fail(&"its host has no address"),
    })
}

async fn register(ctx: &SessionContext, dir: &Path) -> Result<()> {
    for name in TABLES {
        let path = dir.join(format!("{name}.parquet"));
        if !path.is_file() {
            return Err(DataFusionError::Plan(format!(
                "{} is missing: the input folder holds a table per file",
                path.display()
            )));
        }
        let path = std::path::absolute(&path)?;
        ctx.register_parquet(
            name,
            path.to_string_lossy().as_ref(),
            ParquetReadOptions::default(),
        )
        .await?;
    }
    Ok(())
}

async fn collect(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>> {
    ctx.sql(sql).await?.collect().await
}

/// A column of whole numbers, by name.
fn ints<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a datafusion::arrow::array::Int64Array> {
    b.column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Int64Type>())
        .ok_or_else(|| DataFusionError::Internal(format!("no BIGINT column {name}")))
}

fn floats<'a>(
    b: &'a RecordBatch,
    name: &str,
) -> Result<&'a datafusion::arrow::array::Float64Array> {
    b.column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Float64Type>())
        .ok_or_else(|| DataFusionError::Internal(format!("no DOUBLE column {name}")))
}

fn narrow<T: TryFrom<i64>>(v: i64, what: &str) -> Result<T> {
    T::try_from(v).map_err(|_| DataFusionError::Internal(format!("{what} {v} out of range")))
}

/// Every pair, read batch by batch as the query streams them: collected
/// first, the batches (four 64-bit columns) took more than twice the
/// memory of the rows they become, the largest item of a dense check's
/// peak.
async fn pair_rows(ctx: &SessionContext) -> Result<Vec<PairRow>> {
    let mut out = Vec::new();
    let mut batches = ctx.sql(&plan::pairs()).await?.execute_stream().await?;
    while let Some(b) = batches.next().await {
        let b = b?;
        let (c, a, v, u) = (
            ints(&b, "claim")?,
            ints(&b, "action")?,
            ints(&b, "verdict")?,
            ints(&b, "units")?,
        );
        out.reserve(b.num_rows());
        for i in 0..b.num_rows() {
            let verdict = match v.value(i) {
                0 => Verdict::Duplicity,
                1 => Verdict::Bluster,
                2 => Verdict::Reciprocal,
                3 => Verdict::Consistent,
                _ => Verdict::Neutral,
            };
            out.push(PairRow {
                claim: narrow(c.value(i), "claim")?,
                action: narrow(a.value(i), "action")?,
                verdict,
                severity_units: narrow(u.value(i), "severity")?,
            });
        }
    }
    Ok(out)
}

fn claim_rows(batches: &[RecordBatch]) -> Result<Vec<ClaimRow>> {
    let mut out = Vec::new();
    for b in batches {
        let n = |name| ints(b, name);
        let (claim, pairs, contradictions) = (n("claim")?, n("pairs")?, n("contradictions")?);
        let (consistent, reciprocal, neutral) = (n("consistent")?, n("reciprocal")?, n("neutral")?);
        let (verdict, worst) = (n("verdict")?, floats(b, "worst")?);
        for i in 0..b.num_rows() {
            out.push(ClaimRow {
                claim: narrow(claim.value(i), "claim")?,
                verdict: match verdict.value(i) {
                    0 => ClaimVerdict::Contradicted,
                    1 => ClaimVerdict::Mixed,
                    2 => ClaimVerdict::Upheld,
                    _ => ClaimVerdict::Untested,
                },
                pairs: narrow(pairs.value(i), "count")?,
                contradictions: narrow(contradictions.value(i), "count")?,
                consistent: narrow(consistent.value(i), "count")?,
                reciprocal: narrow(reciprocal.value(i), "count")?,
                neutral: narrow(neutral.value(i), "count")?,
                worst: (!worst.is_null(i)).then(|| worst.value(i)),
            });
        }
    }
    Ok(out)
}

fn actor_rows(batches: &[RecordBatch]) -> Result<Vec<ActorRow>> {
    let mut out = Vec::new();
    for b in batches {
        let n = |name| ints(b, name);
        let consistency = floats(b, "consistency")?;
        let (actor, claims, actions) = (n("actor")?, n("claims")?, n("actions")?);
        let counts = CountColumns::of(b)?;
        for i in 0..b.num_rows() {
            out.push(ActorRow {
                actor: narrow(actor.value(i), "actor")?,
                claims: narrow(claims.value(i), "count")?,
                actions: narrow(actions.value(i), "count")?,
                counts: counts.row(i)?,
                consistency: (!consistency.is_null(i)).then(|| consistency.value(i)),
            });
        }
    }
    Ok(out)
}

/// The columns of [`PairCounts`], as the actors' and the trend's queries
/// name them.
struct CountColumns<'b>([&'b datafusion::arrow::array::Int64Array; 9]);

impl<'b> CountColumns<'b> {
    fn of(b: &'b RecordBatch) -> Result<Self> {
        let n = |name| ints(b, name);
        Ok(CountColumns([
            n("pairs")?,
            n("contradictions")?,
            n("duplicity")?,
            n("bluster")?,
            n("consistent")?,
            n("reciprocal")?,
            n("neutral")?,
            n("sev_consistent")?,
            n("sev_contradiction")?,
        ]))
    }

    fn row(&self, i: usize) -> Result<PairCounts> {
        let v = |k: usize| narrow::<u32>(self.0[k].value(i), "count");
        Ok(PairCounts {
            pairs: v(0)?,
            contradictions: v(1)?,
            duplicity: v(2)?,
            bluster: v(3)?,
            consistent: v(4)?,
            reciprocal: v(5)?,
            neutral: v(6)?,
            sev_consistent_units: narrow(self.0[7].value(i), "sum")?,
            sev_contradiction_units: narrow(self.0[8].value(i), "sum")?,
        })
    }
}

/// The sum of a list of doubles, added in the list's order from `0.0`
/// (not `Iterator::sum`, which starts from `-0.0`: a lone stance of
/// `-0.0` would then sum to `-0.0` where saydo's trend has `0.0`); a null
/// list (no records of the kind) sums to `0.0`.
fn list_sum(list: &datafusion::arrow::array::ListArray, i: usize) -> Result<f64> {
    if list.is_null(i) {
        return Ok(0.0);
    }
    let values = list.value(i);
    let values = values
        .as_primitive_opt::<Float64Type>()
        .ok_or_else(|| DataFusionError::Internal("a list of scores is not DOUBLE".into()))?;
    Ok(values.iter().flatten().fold(0.0, |sum, x| sum + x))
}

fn cell_rows(batches: &[RecordBatch]) -> Result<Vec<CellRow>> {
    let mut out = Vec::new();
    for b in batches {
        let n = |name| ints(b, name);
        let list = |name: &str| {
            b.column_by_name(name)
                .and_then(|c| c.as_list_opt::<i32>())
                .ok_or_else(|| DataFusionError::Internal(format!("no list column {name}")))
        };
        let (stances, effects) = (list("stances")?, list("effects")?);
        let (actor, target, period) = (n("actor")?, n("target")?, n("period")?);
        let (claims, actions) = (n("claims")?, n("actions")?);
        let counts = CountColumns::of(b)?;
        for i in 0..b.num_rows() {
            out.push(CellRow {
                actor: narrow(actor.value(i), "actor")?,
                target: match target.is_null(i) {
                    true => None,
                    false => Some(narrow(target.value(i), "target")?),
                },
                period: narrow(period.value(i), "period")?,
                claims: narrow(claims.value(i), "count")?,
                stance_sum: list_sum(stances, i)?,
                actions: narrow(actions.value(i), "count")?,
                effect_sum: list_sum(effects, i)?,
                counts: counts.row(i)?,
            });
        }
    }
    Ok(out)
}
