//! Engines `check` and `trend` can run on (`--engine`): saydo's own
//! (`native`), Apache DataFusion in this process (`datafusion`), or a
//! Ballista cluster (`ballista`). The other engines run the pairing, the
//! verdicts, the severities, the claims' verdicts and the actors'
//! summaries (and the trend's cells) as SQL plans (the `saydo-datafusion`
//! crate); saydo validates and resolves the dataset first, hands them its
//! records and chains of roles as Parquet tables (`export`), and reads
//! their rows back into a [`crate::report::Report`] (or a
//! [`crate::report::trend::Trend`]) that its own printers print. Without
//! the `datafusion` feature (and `ballista`) only `native` is built in.

#[cfg(feature = "datafusion")]
use crate::Settings;
#[cfg(feature = "datafusion")]
use crate::model::Dataset;
#[cfg(feature = "datafusion")]
use crate::report::Report;
#[cfg(feature = "datafusion")]
use crate::report::trend::{Period, Trend};

/// Which engine runs a check or a trend.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// saydo's own engine, in memory.
    #[default]
    Native,
    /// Apache DataFusion in this process, spilling to disk past
    /// `memory_limit` bytes.
    DataFusion {
        /// Most memory the plans' operators hold before spilling.
        memory_limit: Option<usize>,
    },
    /// Ballista: a cluster through its scheduler (`df://host:50050`), or
    /// with none a scheduler and an executor started in this process.
    Ballista {
        /// The scheduler's URL.
        scheduler: Option<String>,
    },
}

impl Engine {
    /// The engine's name, as `--engine` takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Native => "native",
            Engine::DataFusion { .. } => "datafusion",
            Engine::Ballista { .. } => "ballista",
        }
    }

    /// Why this build cannot run the engine (the cargo feature it lacks),
    /// or `None` when it can.
    pub fn unavailable(&self) -> Option<String> {
        let feature = match self {
            Engine::Native => return None,
            Engine::DataFusion { .. } if cfg!(feature = "datafusion") => return None,
            Engine::Ballista { .. } if cfg!(feature = "ballista") => return None,
            Engine::DataFusion { .. } => "datafusion",
            Engine::Ballista { .. } => "ballista",
        };
        Some(format!(
            "this saydo was built without the {feature} engine; build it with \
             `cargo build --release --features {feature}` (or `cargo install --path . \
             --features {feature}`)"
        ))
    }
}

/// Settings as the SQL engine takes them.
#[cfg(feature = "datafusion")]
fn sql_settings(s: &Settings) -> saydo_datafusion::Settings {
    saydo_datafusion::Settings {
        lookback: s.lookback,
        horizon: s.horizon,
        threshold: s.threshold,
    }
}

/// The validated dataset as the SQL engine's tables: claims and actions
/// with their day intervals, normalised topics, resolved actor and target
/// indexes and ranks in id order, the actors, their roles, and every
/// chain of roles with the days it holds.
#[cfg(feature = "datafusion")]
pub fn tables(data: &Dataset) -> saydo_datafusion::Input {
    use crate::engine::principals::Chains;
    use saydo_datafusion as sql;
    // Validation guarantees acts_for has no cycle and the chains fit.
    let chains = Chains::build(&data.actors).unwrap_or_default();
    let mut input = sql::Input::default();
    for (i, a) in data.actors.iter().enumerate() {
        input.actors.ix.push(i as u32);
        input.actors.id.push(a.id.clone());
        input.actors.name.push(a.name.clone());
        input.actors.kind.push(a.kind.as_str());
        for r in &a.roles {
            let roles = &mut input.roles;
            roles.actor.push(i as u32);
            roles.principal.push(r.principal);
            roles.role.push(r.role.clone());
            roles.from.push(r.from.map(|d| d.to_string()));
            roles.to.push(r.to.map(|d| d.to_string()));
            roles.first_day.push(r.span.first);
            roles.last_day.push(r.span.last);
        }
        for (l, link) in chains.links(i as u32).iter().enumerate() {
            let h = &mut input.chains;
            h.actor.push(i as u32);
            h.principal.push(link.principal);
            h.first_day.push(link.span.first);
            h.last_day.push(link.span.last);
            h.depth.push(chains.depth(i as u32, l));
        }
    }
    let records = |recs: &[crate::model::Record],
                   out: &mut sql::Records,
                   topics: &mut sql::Topics,
                   claims: bool| {
        let (_, rank) = crate::report::ranks(recs);
        for (i, r) in recs.iter().enumerate() {
            out.ix.push(i as u32);
            out.id.push(r.id.to_string());
            out.rank.push(rank[i]);
            out.actor.push(r.actor);
            out.target.push(r.target);
            out.date.push(r.date.to_string());
            out.first_day.push(r.date.first);
            out.last_day.push(r.date.last);
            out.score.push(r.score);
            out.about.push(r.about.as_str());
            out.attribution.push(if claims {
                crate::model::Attribution::Confirmed.as_str()
            } else {
                r.attribution.as_str()
            });
            out.n_topics.push(r.topics.len() as u32);
            for &t in r.topics.iter() {
                topics.record.push(i as u32);
                topics.topic_ix.push(t);
                topics.topic.push(data.topics[t as usize].clone());
            }
        }
    };
    records(
        &data.claims,
        &mut input.claims,
        &mut input.claim_topics,
        true,
    );
    records(
        &data.actions,
        &mut input.actions,
        &mut input.action_topics,
        false,
    );
    for (a, rec) in data.actions.iter().enumerate() {
        for &b in rec.responds_to.iter() {
            input.responses.0.push(a as u32);
            input.responses.1.push(b);
        }
    }
    input
}

/// Writes the validated dataset as Parquet files into `dir` (created if
/// need be): a file per table of [`tables`].
#[cfg(feature = "datafusion")]
pub fn export(data: &Dataset, dir: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    tables(data)
        .write_parquet(dir)
        .map_err(|e| format!("cannot write Parquet into {}: {e}", dir.display()))
}

/// Writes the tables as [`export`] does, but into a folder beside `out`
/// that is renamed to `out` once every table is written, so `out`
/// appears complete or not at all; an existing `out` is replaced only
/// with `force` (`saydo export --from`, which follows `saydo import`).
#[cfg(feature = "datafusion")]
pub fn export_replacing(data: &Dataset, out: &std::path::Path, force: bool) -> Result<(), String> {
    let temp = crate::output::Temporary::beside(out, ".saydo-export-")
        .map_err(|e| format!("cannot make a folder beside {}: {e}", out.display()))?;
    tables(data)
        .write_parquet(temp.path())
        .map_err(|e| format!("cannot write Parquet beside {}: {e}", out.display()))?;
    temp.rename_to(out, force)
        .map_err(|e| format!("cannot move the tables into {}: {e}", out.display()))
}

/// The SQL engine `engine` names, and a temporary folder under `work`
/// (the system's by default; a cluster's executors must read it at the
/// same path) holding `data`'s tables, for the plans to run on; `None`
/// for [`Engine::Native`].
#[cfg(feature = "datafusion")]
fn prepared(
    data: &Dataset,
    engine: &Engine,
    work: Option<&std::path::Path>,
) -> Result<Option<(saydo_datafusion::Engine, tempfile::TempDir)>, String> {
    use saydo_datafusion as sql;
    let engine = match engine {
        Engine::Native => return Ok(None),
        Engine::DataFusion { memory_limit } => sql::Engine::DataFusion {
            memory_limit: *memory_limit,
            partitions: None,
        },
        #[cfg(feature = "ballista")]
        Engine::Ballista { scheduler: None } => sql::Engine::BallistaStandalone,
        #[cfg(feature = "ballista")]
        Engine::Ballista {
            scheduler: Some(url),
        } => sql::Engine::Ballista {
            scheduler: url.clone(),
        },
        #[cfg(not(feature = "ballista"))]
        Engine::Ballista { .. } => return Err(engine.unavailable().unwrap_or_default()),
    };
    if let Some(w) = work {
        // As `export --out` does: the folder is made when missing, not
        // refused.
        std::fs::create_dir_all(w)
            .map_err(|e| format!("cannot make the engine's folder {}: {e}", w.display()))?;
    }
    let dir = match work {
        Some(w) => tempfile::Builder::new()
            .prefix("saydo-tables-")
            .tempdir_in(w),
        None => tempfile::Builder::new().prefix("saydo-tables-").tempdir(),
    }
    .map_err(|e| format!("cannot make a folder for the engine's tables: {e}"))?;
    tables(data)
        .write_parquet(dir.path())
        .map_err(|e| format!("cannot write the engine's tables: {e}"))?;
    Ok(Some((engine, dir)))
}

/// The engine's counts of an actor's or a cell's pairs, as saydo's.
#[cfg(feature = "datafusion")]
fn pair_counts(c: &saydo_datafusion::PairCounts) -> crate::report::PairCounts {
    crate::report::PairCounts {
        pairs: c.pairs,
        contradictions: c.contradictions,
        duplicity: c.duplicity,
        bluster: c.bluster,
        consistent: c.consistent,
        reciprocal: c.reciprocal,
        neutral: c.neutral,
        sev_consistent: c.sev_consistent_units,
        sev_contradiction: c.sev_contradiction_units,
    }
}

/// Runs the check of `data` on `engine` (not [`Engine::Native`]): the
/// tables go to a temporary folder under `work` (the system's by
/// default; a cluster's executors must read it at the same path), the
/// plans run there, and their rows come back as a report.
#[cfg(feature = "datafusion")]
pub fn check<'d>(
    data: &'d Dataset,
    settings: Settings,
    engine: &Engine,
    work: Option<&std::path::Path>,
) -> Result<Report<'d>, String> {
    use crate::engine::score::{ClaimVerdict, Kind, Verdict};
    use crate::report::{ActorSummary, ClaimResult, Pair};
    use saydo_datafusion as sql;
    let Some((engine, dir)) = prepared(data, engine, work)? else {
        return Ok(crate::report::check(data, settings, Default::default()));
    };
    let out = sql::check(&engine, dir.path(), &sql_settings(&settings))
        .map_err(|e| format!("the {} engine failed: {e}", engine_name(&engine)))?;
    // Consumed, not borrowed: the rows and the pairs are both 12 bytes, so
    // the pairs are made in the rows' memory rather than beside them (2.4
    // GB each for 196 million pairs).
    let pairs = out
        .pairs
        .into_iter()
        .map(|p| Pair {
            claim: p.claim,
            action: p.action,
            severity_units: p.severity_units,
            verdict: match p.verdict {
                sql::Verdict::Duplicity => Verdict::Contradiction(Kind::Duplicity),
                sql::Verdict::Bluster => Verdict::Contradiction(Kind::Bluster),
                sql::Verdict::Reciprocal => Verdict::Reciprocal,
                sql::Verdict::Consistent => Verdict::Consistent,
                sql::Verdict::Neutral => Verdict::Neutral,
            },
        })
        .collect();
    let claims = out
        .claims
        .iter()
        .map(|c| ClaimResult {
            claim: c.claim,
            verdict: match c.verdict {
                sql::ClaimVerdict::Contradicted => ClaimVerdict::Contradicted,
                sql::ClaimVerdict::Mixed => ClaimVerdict::Mixed,
                sql::ClaimVerdict::Upheld => ClaimVerdict::Upheld,
                sql::ClaimVerdict::Untested => ClaimVerdict::Untested,
            },
            pairs: c.pairs,
            contradictions: c.contradictions,
            consistent: c.consistent,
            reciprocal: c.reciprocal,
            neutral: c.neutral,
            worst: c.worst,
        })
        .collect();
    let actors = out
        .actors
        .iter()
        .map(|a| {
            let mut s = ActorSummary::empty(a.actor);
            s.set_counts(&pair_counts(&a.counts));
            s.claims = a.claims;
            s.actions = a.actions;
            s.consistency = a.consistency;
            s
        })
        .collect();
    Ok(crate::report::assembled(
        data, settings, pairs, claims, actors,
    ))
}

/// The trend of `data` (`saydo trend`) on `engine`, as [`check`] runs
/// on it: the plans pair, judge and count per principal actor, target
/// and period; their cells come back as saydo's own trend, which its
/// printers print as they print the native engine's.
#[cfg(feature = "datafusion")]
pub fn trend<'d>(
    data: &'d Dataset,
    settings: Settings,
    by: Period,
    engine: &Engine,
    work: Option<&std::path::Path>,
) -> Result<Trend<'d>, String> {
    use crate::report::trend::Cell;
    use saydo_datafusion as sql;
    let Some((engine, dir)) = prepared(data, engine, work)? else {
        return Ok(crate::report::trend::trend(data, settings, by));
    };
    let period = match by {
        Period::Month => sql::Period::Month,
        Period::Quarter => sql::Period::Quarter,
        Period::Year => sql::Period::Year,
    };
    let rows = sql::trend(&engine, dir.path(), &sql_settings(&settings), period)
        .map_err(|e| format!("the {} engine failed: {e}", engine_name(&engine)))?;
    let cells = rows
        .iter()
        .map(|r| Cell {
            actor: r.actor,
            target: r.target,
            period: r.period,
            claims: r.claims,
            actions: r.actions,
            stance_sum: r.stance_sum,
            effect_sum: r.effect_sum,
            counts: pair_counts(&r.counts),
        })
        .collect();
    Ok(Trend {
        data,
        settings,
        by,
        cells,
    })
}

#[cfg(feature = "datafusion")]
fn engine_name(engine: &saydo_datafusion::Engine) -> &'static str {
    match engine {
        saydo_datafusion::Engine::DataFusion { .. } => "DataFusion",
        #[cfg(feature = "ballista")]
        _ => "Ballista",
    }
}
