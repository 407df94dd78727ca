//! saydo's check as SQL: the pairing rules, the verdicts, the severities,
//! the claims' verdicts and the actors' summaries, and the trend's cells
//! ([`trend_stages`], [`trend`]), each a query over the tables of
//! [`crate::tables`]. The native engine (saydo's `engine/`) is
//! the reference; the formulas here follow it operation by operation, so
//! that floating point gives the same bits.
//!
//! A table without rows is stored as a row of nulls (see
//! [`crate::tables::write_parquet`]): nulls join nothing, and the
//! queries that read a table whole keep them out (`IS NOT NULL`).
//!
//! Pairing joins records on their principals (and topics): the joins'
//! keys are principal actors, which is how a distributed run (Ballista)
//! splits the work between executors.

use crate::Settings;

/// The stages of the check, in order: each a table the later ones read,
/// written to Parquet and read back (a plan short enough for Ballista to
/// ship to its executors, and a point where a large run's data rests on
/// disk). Each is `(table, query)`.
pub fn stages(s: &Settings) -> Vec<(&'static str, String)> {
    let (lookback, horizon) = (s.lookback, s.horizon);
    // A principal of a record: a chain from its actor (or its target)
    // that holds on one of the record's days.
    let principals = |table: &str, who: &str, key: &str| {
        format!(
            "SELECT DISTINCT r.ix AS {key}, h.principal AS p FROM {table} r \
             JOIN chains h ON h.actor = r.{who} \
             AND h.first_day <= r.last_day AND h.last_day >= r.first_day"
        )
    };
    let t = format!("CAST('{:?}' AS DOUBLE)", s.threshold);
    vec![
        ("cp", principals("claims", "actor", "c")),
        ("ap", principals("actions", "actor", "a")),
        ("ctp", principals("claims", "target", "c")),
        ("atp", principals("actions", "target", "a")),
        // The principals of the deeds an action answers, each at its own
        // date.
        (
            "ans",
            "SELECT DISTINCT r.action AS a, h.principal AS p FROM responses r
            JOIN actions b ON b.ix = r.answers
            JOIN chains h ON h.actor = b.actor
                AND h.first_day <= b.last_day AND h.last_day >= b.first_day"
                .into(),
        ),
        // A claim's window: the days an action may start on (rule 4),
        // narrowed to one side of the words by `about`. Rule 1 (same
        // actor) and rule 3 (a shared topic) are join keys: a claim's
        // keys are (principal, topic), or its principals when it has no
        // topic (a general stance); an action's are both.
        (
            "ck_t",
            format!(
                "SELECT cp.c, cp.p, t.topic_ix,
                    CASE WHEN r.about = 'future' THEN CAST(r.first_day AS BIGINT)
                         ELSE CAST(r.first_day AS BIGINT) - {lookback} END AS lo,
                    CASE WHEN r.about = 'past' THEN CAST(r.last_day AS BIGINT)
                         ELSE CAST(r.last_day AS BIGINT) + {horizon} END AS hi
                FROM cp JOIN claim_topics t ON t.claim = cp.c JOIN claims r ON r.ix = cp.c"
            ),
        ),
        (
            "ck_g",
            format!(
                "SELECT cp.c, cp.p,
                    CASE WHEN r.about = 'future' THEN CAST(r.first_day AS BIGINT)
                         ELSE CAST(r.first_day AS BIGINT) - {lookback} END AS lo,
                    CASE WHEN r.about = 'past' THEN CAST(r.last_day AS BIGINT)
                         ELSE CAST(r.last_day AS BIGINT) + {horizon} END AS hi
                FROM cp JOIN claims r ON r.ix = cp.c WHERE r.n_topics = 0"
            ),
        ),
        (
            "ak_t",
            "SELECT ap.a, ap.p, t.topic_ix, x.first_day FROM ap
            JOIN action_topics t ON t.action = ap.a JOIN actions x ON x.ix = ap.a"
                .into(),
        ),
        (
            "ak_g",
            "SELECT ap.a, ap.p, x.first_day FROM ap JOIN actions x ON x.ix = ap.a".into(),
        ),
        // Rules 1, 3 and 4: the candidates, once each.
        (
            "cand",
            "SELECT DISTINCT c, a FROM (
                SELECT k.c, x.a FROM ck_t k JOIN ak_t x ON x.p = k.p AND x.topic_ix = k.topic_ix
                    WHERE x.first_day BETWEEN k.lo AND k.hi
                UNION ALL
                SELECT k.c, x.a FROM ck_g k JOIN ak_g x ON x.p = k.p
                    WHERE x.first_day BETWEEN k.lo AND k.hi)"
                .into(),
        ),
        // Rule 2: the targets share a principal (asked when both have
        // one); and whether the action answers a deed of the claim's
        // target.
        (
            "same_target",
            "SELECT DISTINCT x.c, x.a FROM cand x
            JOIN ctp ON ctp.c = x.c JOIN atp ON atp.a = x.a AND atp.p = ctp.p"
                .into(),
        ),
        (
            "answers",
            "SELECT DISTINCT x.c, x.a FROM cand x
            JOIN ctp ON ctp.c = x.c JOIN ans ON ans.a = x.a AND ans.p = ctp.p"
                .into(),
        ),
        // The candidates that meet rule 2, with what judging reads.
        (
            "met",
            "SELECT x.c, x.a, c.rank AS c_rank, y.rank AS a_rank,
                c.stance AS s, y.effect AS e, y.attribution,
                c.first_day AS c_first, c.last_day AS c_last,
                y.first_day AS a_first, y.last_day AS a_last,
                r.c IS NOT NULL AS answers_target
            FROM cand x
            JOIN claims c ON c.ix = x.c
            JOIN actions y ON y.ix = x.a
            LEFT JOIN same_target t ON t.c = x.c AND t.a = x.a
            LEFT JOIN answers r ON r.c = x.c AND r.a = x.a
            WHERE c.target IS NULL OR y.target IS NULL OR t.c IS NOT NULL"
                .into(),
        ),
        // The pairs: the verdict (score.rs, `judge`): 0 duplicity, 1
        // bluster, 2 reciprocal, 3 consistent, 4 neutral; and the severity
        // (score.rs: `factors`, and the formula with `round` that
        // `severity_units` is tested against), with the same operations in
        // the same order, in units of 0.0001.
        (
            "pairs",
            format!(
                "SELECT c, a, c_rank, a_rank,
                CASE WHEN NOT (abs(s) >= {t} AND abs(e) >= {t}) OR s = 0.0 OR e = 0.0 THEN 4
                     WHEN (s > 0.0) = (e > 0.0) THEN 3
                     WHEN answers_target THEN 2
                     WHEN s > 0.0 THEN 0
                     ELSE 1 END AS verdict,
                CAST(round(least(greatest(round(
                    (1.0 + abs(s) + abs(e)) / 21.0
                    * CASE attribution WHEN 'confirmed' THEN 1.0 WHEN 'reported' THEN 0.8
                                       WHEN 'alleged' THEN 0.6 ELSE 0.4 END
                    * power(0.5, CAST(greatest(CAST(a_first AS BIGINT) - c_last,
                                               CAST(c_first AS BIGINT) - a_last, 0) AS DOUBLE) / 365.0)
                    * CASE WHEN a_first > c_last THEN 1.0 WHEN a_last < c_first THEN 0.8 ELSE 0.9 END
                    * 10000.0) / 10000.0, 0.0001), 1.0) * 10000.0) AS BIGINT) AS units
                FROM met WHERE c IS NOT NULL"
            ),
        ),
    ]
}

/// Every pair: claim and action (dataset indices), verdict code and
/// severity in units of 0.0001, ordered by claim id, then action id.
pub fn pairs() -> String {
    "SELECT CAST(c AS BIGINT) AS claim, CAST(a AS BIGINT) AS action,
        CAST(verdict AS BIGINT) AS verdict, units
    FROM pairs WHERE c IS NOT NULL ORDER BY c_rank, a_rank"
        .into()
}

/// A group's pairs by verdict (0 duplicity, 1 bluster, 2 reciprocal, 3
/// consistent, 4 neutral) and the sums of the consistent pairs' and the
/// contradictions' severities, in units: the columns of the actors' and
/// the trend cells' counts, after each one's own count of pairs.
const BY_VERDICT: &str = "COUNT(*) FILTER (WHERE verdict <= 1) AS contradictions,
    COUNT(*) FILTER (WHERE verdict = 0) AS duplicity,
    COUNT(*) FILTER (WHERE verdict = 1) AS bluster,
    COUNT(*) FILTER (WHERE verdict = 3) AS consistent,
    COUNT(*) FILTER (WHERE verdict = 2) AS reciprocal,
    COUNT(*) FILTER (WHERE verdict = 4) AS neutral,
    coalesce(SUM(units) FILTER (WHERE verdict = 3), 0) AS sev_consistent,
    coalesce(SUM(units) FILTER (WHERE verdict <= 1), 0) AS sev_contradiction";

/// Every claim's counts and verdict (0 contradicted, 1 mixed, 2 upheld,
/// 3 untested), ordered by claim id.
pub fn claims() -> String {
    "WITH counts AS (SELECT c,
            COUNT(*) AS pairs,
            COUNT(*) FILTER (WHERE verdict <= 1) AS contradictions,
            COUNT(*) FILTER (WHERE verdict = 3) AS consistent,
            COUNT(*) FILTER (WHERE verdict = 2) AS reciprocal,
            COUNT(*) FILTER (WHERE verdict = 4) AS neutral,
            MAX(units) FILTER (WHERE verdict <= 1) AS worst
            FROM pairs WHERE c IS NOT NULL GROUP BY c)
        SELECT CAST(r.ix AS BIGINT) AS claim,
            CAST(coalesce(k.pairs, 0) AS BIGINT) AS pairs,
            CAST(coalesce(k.contradictions, 0) AS BIGINT) AS contradictions,
            CAST(coalesce(k.consistent, 0) AS BIGINT) AS consistent,
            CAST(coalesce(k.reciprocal, 0) AS BIGINT) AS reciprocal,
            CAST(coalesce(k.neutral, 0) AS BIGINT) AS neutral,
            CAST(k.worst AS DOUBLE) / 10000.0 AS worst,
            CAST(CASE WHEN coalesce(k.contradictions, 0) > 0 AND coalesce(k.consistent, 0) = 0 THEN 0
                      WHEN coalesce(k.contradictions, 0) > 0 THEN 1
                      WHEN coalesce(k.consistent, 0) > 0 THEN 2
                      ELSE 3 END AS BIGINT) AS verdict
        FROM claims r LEFT JOIN counts k ON k.c = r.ix
        WHERE r.ix IS NOT NULL
        ORDER BY r.rank"
        .into()
}

/// Every actor with a record or a pair: records made by it or on its
/// behalf, and the pairs either record answers to it in (once each),
/// by verdict, with their severities' sums (units of 0.0001) and the
/// say-do consistency index; ordered by actor id.
pub fn actors() -> String {
    format!(
        "WITH involved AS (SELECT DISTINCT c, a, p, verdict, units FROM (
                SELECT x.c, x.a, cp.p, x.verdict, x.units FROM pairs x JOIN cp ON cp.c = x.c
                UNION ALL
                SELECT x.c, x.a, ap.p, x.verdict, x.units FROM pairs x JOIN ap ON ap.a = x.a)),
        counts AS (SELECT p,
            COUNT(*) AS pairs,
            {BY_VERDICT}
            FROM involved GROUP BY p),
        said AS (SELECT p, COUNT(*) AS n FROM cp GROUP BY p),
        done AS (SELECT p, COUNT(*) AS n FROM ap GROUP BY p),
        summary AS (SELECT x.ix, x.id,
            coalesce(s.n, 0) AS claims, coalesce(d.n, 0) AS actions,
            coalesce(k.pairs, 0) AS pairs,
            coalesce(k.contradictions, 0) AS contradictions,
            coalesce(k.duplicity, 0) AS duplicity, coalesce(k.bluster, 0) AS bluster,
            coalesce(k.consistent, 0) AS consistent, coalesce(k.reciprocal, 0) AS reciprocal,
            coalesce(k.neutral, 0) AS neutral,
            CAST(coalesce(k.sev_consistent, 0) AS DOUBLE) / 10000.0 AS sc,
            CAST(coalesce(k.sev_contradiction, 0) AS DOUBLE) / 10000.0 AS sk,
            CAST(coalesce(k.sev_consistent, 0) AS BIGINT) AS sev_consistent,
            CAST(coalesce(k.sev_contradiction, 0) AS BIGINT) AS sev_contradiction
            FROM actors x
            LEFT JOIN said s ON s.p = x.ix
            LEFT JOIN done d ON d.p = x.ix
            LEFT JOIN counts k ON k.p = x.ix)
        SELECT CAST(ix AS BIGINT) AS actor,
            CAST(claims AS BIGINT) AS claims, CAST(actions AS BIGINT) AS actions,
            CAST(pairs AS BIGINT) AS pairs, CAST(contradictions AS BIGINT) AS contradictions,
            CAST(duplicity AS BIGINT) AS duplicity, CAST(bluster AS BIGINT) AS bluster,
            CAST(consistent AS BIGINT) AS consistent, CAST(reciprocal AS BIGINT) AS reciprocal,
            CAST(neutral AS BIGINT) AS neutral,
            sev_consistent, sev_contradiction,
            CASE WHEN sc + sk > 0.0 THEN round(((sc - sk) / (sc + sk)) * 10000.0) / 10000.0 END
                AS consistency
        FROM summary WHERE ix IS NOT NULL AND claims + actions + pairs > 0
        ORDER BY id"
    )
}

/// The day number of 1970-01-01 (day 1 is 0001-01-01, as the tables
/// count), which turns a table's day into a SQL `DATE`.
const UNIX_EPOCH_DAY: i32 = 719_163;

/// The stages of the trend, run after [`stages`] (whose `cp`, `ap`,
/// `ctp`, `atp` and `pairs` they read): the cells each claim and action
/// is in. A record's principal actors are the members of its principal
/// set that act for no one, or its own actor when none does; its
/// target's likewise, or none (`-1`) without a target; its period is the
/// one its first day falls in, numbered from year 0
/// (`year * 12 + month - 1`, `year * 4 + quarter - 1`, or `year`) so
/// that periods sort by time. A record with two principals, or a target
/// with two, is in the cell of each. The cells' rows follow
/// ([`trend`] reads the last).
pub fn trend_stages(by: crate::Period) -> Vec<(&'static str, String)> {
    let day = format!("CAST(CAST(CAST(x.first_day AS BIGINT) - {UNIX_EPOCH_DAY} AS INT) AS DATE)");
    let (year, month) = (
        format!("CAST(date_part('year', {day}) AS BIGINT)"),
        format!("CAST(date_part('month', {day}) AS BIGINT)"),
    );
    let period = match by {
        crate::Period::Month => format!("{year} * 12 + {month} - 1"),
        crate::Period::Quarter => format!("{year} * 4 + ({month} - 1) / 3"),
        crate::Period::Year => year,
    };
    // The principal actors behind a record's actor (or target), as
    // (record, actor, actor's id) rows: the principals of `sets` that act
    // for no one (k = 1), else the record's own `who` (k = 0; -1 and no
    // id without one). On Ballista, a `UNION ALL` came out with rows
    // twice (as the check's plans, which `DISTINCT` every union, never
    // see), and an outer join whose preserved side was collected added
    // that side's unmatched rows once per partition: so the trend's
    // stages join only inner, every union is a `UNION` of rows unique by
    // construction, and a grouping over one (`top`, `best`) takes only
    // what duplicates leave alone (`MAX`).
    let principal_actors = |table: &str, sets: &str, key: &str, who: &str| {
        format!(
            "WITH u AS (
                SELECT s.{key} AS r, CAST(s.p AS BIGINT) AS p, y.id, 1 AS k
                    FROM {sets} s JOIN top t ON t.p = s.p JOIN actors y ON y.ix = s.p
                UNION
                SELECT x.ix AS r, CAST(x.{who} AS BIGINT) AS p, y.id, 0 AS k
                    FROM {table} x JOIN actors y ON y.ix = x.{who}
                UNION
                SELECT ix AS r, CAST(-1 AS BIGINT) AS p, CAST(NULL AS VARCHAR) AS id, 0 AS k
                    FROM {table} WHERE ix IS NOT NULL AND {who} IS NULL),
            best AS (SELECT r, MAX(k) AS k FROM u GROUP BY r)
            SELECT u.r, u.p, u.id FROM u JOIN best b ON b.r = u.r AND b.k = u.k"
        )
    };
    // A record's cells, with what the cell sums: its rank (id order) and
    // its score; and the actors' ids, which cells are ordered by.
    let cells = |table: &str, who: &str, whom: &str, score: &str| {
        format!(
            "SELECT w.r AS ix, w.p AS actor, w.id AS actor_id, t.p AS target,
                t.id AS target_id, {period} AS period, x.rank, x.{score} AS score
            FROM {who} w JOIN {whom} t ON t.r = w.r JOIN {table} x ON x.ix = w.r"
        )
    };
    vec![
        // Actors that act for no one.
        (
            "top",
            "SELECT p FROM (
                SELECT ix AS p, 0 AS r FROM actors WHERE ix IS NOT NULL
                UNION ALL
                SELECT actor AS p, 1 AS r FROM roles WHERE actor IS NOT NULL)
            GROUP BY p HAVING MAX(r) = 0"
                .into(),
        ),
        ("c_who", principal_actors("claims", "cp", "c", "actor")),
        ("c_whom", principal_actors("claims", "ctp", "c", "target")),
        ("a_who", principal_actors("actions", "ap", "a", "actor")),
        ("a_whom", principal_actors("actions", "atp", "a", "target")),
        ("c_cells", cells("claims", "c_who", "c_whom", "stance")),
        ("a_cells", cells("actions", "a_who", "a_whom", "effect")),
        // Every claim's pairs by verdict (a claim without pairs has a
        // row of zeros).
        (
            "t_counts",
            format!(
                "SELECT c,
                COUNT(verdict) AS pairs,
                {BY_VERDICT}
            FROM (
                SELECT c, CAST(a AS BIGINT) AS a, CAST(verdict AS BIGINT) AS verdict,
                    CAST(units AS BIGINT) AS units
                FROM pairs WHERE c IS NOT NULL
                UNION
                SELECT ix AS c, CAST(NULL AS BIGINT) AS a, CAST(NULL AS BIGINT) AS verdict,
                    CAST(NULL AS BIGINT) AS units
                FROM claims WHERE ix IS NOT NULL)
            GROUP BY c"
            ),
        ),
        // A row per record and cell: claims (kind 0) with their pairs'
        // counts, and actions (kind 1).
        (
            "t_parts",
            "SELECT x.ix, x.actor, x.actor_id, x.target, x.target_id, x.period,
                0 AS kind, x.rank, x.score,
                k.pairs, k.contradictions, k.duplicity, k.bluster, k.consistent,
                k.reciprocal, k.neutral, k.sev_consistent, k.sev_contradiction
            FROM c_cells x JOIN t_counts k ON k.c = x.ix
            UNION
            SELECT ix, actor, actor_id, target, target_id, period,
                1 AS kind, rank, score,
                0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM a_cells WHERE ix IS NOT NULL"
                .into(),
        ),
        // The cells: counts and sums, and the scores in id order.
        (
            "t_cells",
            "SELECT actor, actor_id, target, target_id, period,
                COUNT(*) FILTER (WHERE kind = 0) AS claims,
                array_agg(score ORDER BY rank) FILTER (WHERE kind = 0) AS stances,
                COUNT(*) FILTER (WHERE kind = 1) AS actions,
                array_agg(score ORDER BY rank) FILTER (WHERE kind = 1) AS effects,
                SUM(pairs) AS pairs,
                SUM(contradictions) AS contradictions,
                SUM(duplicity) AS duplicity,
                SUM(bluster) AS bluster,
                SUM(consistent) AS consistent,
                SUM(reciprocal) AS reciprocal,
                SUM(neutral) AS neutral,
                SUM(sev_consistent) AS sev_consistent,
                SUM(sev_contradiction) AS sev_contradiction
            FROM t_parts WHERE ix IS NOT NULL
            GROUP BY actor, actor_id, target, target_id, period"
                .into(),
        ),
    ]
}

/// Every cell of the trend: principal actor, target principal (null for
/// none) and period; its claims and their stances, its actions and their
/// effects, each list in id order (see [`crate::CellRow`] for why lists
/// and not sums); and the pairs whose claim is in the cell, by verdict,
/// with their severities' sums in units of 0.0001. Ordered by actor id,
/// target id (none first), then period.
pub fn trend() -> String {
    "SELECT CAST(actor AS BIGINT) AS actor, nullif(CAST(target AS BIGINT), -1) AS target,
        CAST(period AS BIGINT) AS period,
        CAST(claims AS BIGINT) AS claims, stances,
        CAST(actions AS BIGINT) AS actions, effects,
        CAST(pairs AS BIGINT) AS pairs,
        CAST(contradictions AS BIGINT) AS contradictions,
        CAST(duplicity AS BIGINT) AS duplicity,
        CAST(bluster AS BIGINT) AS bluster,
        CAST(consistent AS BIGINT) AS consistent,
        CAST(reciprocal AS BIGINT) AS reciprocal,
        CAST(neutral AS BIGINT) AS neutral,
        CAST(sev_consistent AS BIGINT) AS sev_consistent,
        CAST(sev_contradiction AS BIGINT) AS sev_contradiction,
        actor_id, target_id
    FROM t_cells WHERE actor IS NOT NULL
    ORDER BY actor_id, target_id NULLS FIRST, period"
        .into()
}
