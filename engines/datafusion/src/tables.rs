//! The input tables: plain columns in, Arrow record batches and Parquet
//! files out. Every table is written as one Parquet file named after it
//! (`claims.parquet`, ...) in a folder, which the plans read.
//!
//! Days are whole numbers counted from 0001-01-01 (day 1); a span without
//! a beginning or an end has `i32::MIN` or `i32::MAX` there.

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray, UInt32Array, new_null_array,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::error::Result;
use datafusion::parquet::arrow::ArrowWriter;

/// Claims or actions, a column per field, a row per record.
#[derive(Clone, Debug, Default)]
pub struct Records {
    /// The record's index in the dataset; pairs name records by it.
    pub ix: Vec<u32>,
    /// The record's id.
    pub id: Vec<String>,
    /// The record's place in id order (reports are ordered by id).
    pub rank: Vec<u32>,
    /// The index of the actor who said or did it.
    pub actor: Vec<u32>,
    /// The index of its target, if any.
    pub target: Vec<Option<u32>>,
    /// The date as written (`2021`, `2021-08`, `2021-08-15`).
    pub date: Vec<String>,
    /// The first and last day the date stands for.
    pub first_day: Vec<i32>,
    /// See `first_day`.
    pub last_day: Vec<i32>,
    /// Stance of a claim, effect of an action, -10 to +10.
    pub score: Vec<f64>,
    /// Claims: `future`, `past` or none. Actions: none.
    pub about: Vec<Option<&'static str>>,
    /// Actions: `confirmed`, `reported`, `alleged` or `disputed`.
    pub attribution: Vec<&'static str>,
    /// How many topics the record has (a claim with none is a general
    /// stance, meeting deeds on any topic).
    pub n_topics: Vec<u32>,
}

/// A record's topics, a row per (record, topic).
#[derive(Clone, Debug, Default)]
pub struct Topics {
    /// The record's index.
    pub record: Vec<u32>,
    /// The topic's index among the dataset's normalised topics.
    pub topic_ix: Vec<u32>,
    /// The normalised topic.
    pub topic: Vec<String>,
}

/// Actors, a row each.
#[derive(Clone, Debug, Default)]
pub struct Actors {
    /// The actor's index.
    pub ix: Vec<u32>,
    /// Its id.
    pub id: Vec<String>,
    /// Its name.
    pub name: Vec<String>,
    /// `state`, `person`, `organization`, `group` or `unlisted`.
    pub kind: Vec<&'static str>,
}

/// Chains of roles: a row per (actor, principal reached, span of days on
/// which every role along the chain holds). An actor is its own
/// principal on every day.
#[derive(Clone, Debug, Default)]
pub struct Chains {
    /// The actor the chain starts from.
    pub actor: Vec<u32>,
    /// The principal it reaches.
    pub principal: Vec<u32>,
    /// The first day every role of the chain holds on.
    pub first_day: Vec<i32>,
    /// The last such day.
    pub last_day: Vec<i32>,
    /// Roles along the chain (0 for the actor itself).
    pub depth: Vec<u32>,
}

/// The `acts_for` roles as written, a row each (for export; the plans read
/// [`Chains`]).
#[derive(Clone, Debug, Default)]
pub struct Roles {
    /// The actor that acts.
    pub actor: Vec<u32>,
    /// The actor it acts for.
    pub principal: Vec<u32>,
    /// The role's name.
    pub role: Vec<String>,
    /// `from` and `to` as written.
    pub from: Vec<Option<String>>,
    /// See `from`.
    pub to: Vec<Option<String>>,
    /// The days the role holds on.
    pub first_day: Vec<i32>,
    /// See `first_day`.
    pub last_day: Vec<i32>,
}

/// Everything the plans read, validated and resolved by the caller.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The actors.
    pub actors: Actors,
    /// The roles, as written.
    pub roles: Roles,
    /// The chains of roles.
    pub chains: Chains,
    /// The claims.
    pub claims: Records,
    /// The claims' topics.
    pub claim_topics: Topics,
    /// The actions.
    pub actions: Records,
    /// The actions' topics.
    pub action_topics: Topics,
    /// `responds_to`: a row per (action, the action it answers).
    pub responses: (Vec<u32>, Vec<u32>),
}

fn u32s(v: &[u32]) -> ArrayRef {
    Arc::new(UInt32Array::from(v.to_vec()))
}
fn opt_u32s(v: &[Option<u32>]) -> ArrayRef {
    Arc::new(UInt32Array::from(v.to_vec()))
}
fn i32s(v: &[i32]) -> ArrayRef {
    Arc::new(Int32Array::from(v.to_vec()))
}
fn f64s(v: &[f64]) -> ArrayRef {
    Arc::new(Float64Array::from(v.to_vec()))
}
fn strs<S: AsRef<str>>(v: &[S]) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(v.iter().map(AsRef::as_ref)))
}
fn opt_strs<S: AsRef<str>>(v: &[Option<S>]) -> ArrayRef {
    Arc::new(StringArray::from_iter(
        v.iter().map(|s| s.as_ref().map(AsRef::as_ref)),
    ))
}

fn batch(fields: Vec<(&str, DataType, bool, ArrayRef)>) -> Result<RecordBatch> {
    let schema: SchemaRef = Arc::new(Schema::new(
        fields
            .iter()
            .map(|(n, t, null, _)| Field::new(*n, t.clone(), *null))
            .collect::<Vec<_>>(),
    ));
    let columns = fields.into_iter().map(|(_, _, _, c)| c).collect();
    Ok(RecordBatch::try_new(schema, columns)?)
}

use DataType::{Float64, Int32, UInt32, Utf8};

fn records(r: &Records, score: &str) -> Result<RecordBatch> {
    batch(vec![
        ("ix", UInt32, false, u32s(&r.ix)),
        ("id", Utf8, false, strs(&r.id)),
        ("rank", UInt32, false, u32s(&r.rank)),
        ("actor", UInt32, false, u32s(&r.actor)),
        ("target", UInt32, true, opt_u32s(&r.target)),
        ("date", Utf8, false, strs(&r.date)),
        ("first_day", Int32, false, i32s(&r.first_day)),
        ("last_day", Int32, false, i32s(&r.last_day)),
        (score, Float64, false, f64s(&r.score)),
        ("about", Utf8, true, opt_strs(&r.about)),
        ("attribution", Utf8, false, strs(&r.attribution)),
        ("n_topics", UInt32, false, u32s(&r.n_topics)),
    ])
}

fn topics(t: &Topics, record: &str) -> Result<RecordBatch> {
    batch(vec![
        (record, UInt32, false, u32s(&t.record)),
        ("topic_ix", UInt32, false, u32s(&t.topic_ix)),
        ("topic", Utf8, false, strs(&t.topic)),
    ])
}

impl Input {
    /// The tables as Arrow record batches, by table name.
    pub fn batches(&self) -> Result<Vec<(&'static str, RecordBatch)>> {
        let a = &self.actors;
        let r = &self.roles;
        let h = &self.chains;
        Ok(vec![
            (
                "actors",
                batch(vec![
                    ("ix", UInt32, false, u32s(&a.ix)),
                    ("id", Utf8, false, strs(&a.id)),
                    ("name", Utf8, false, strs(&a.name)),
                    ("kind", Utf8, false, strs(&a.kind)),
                ])?,
            ),
            (
                "roles",
                batch(vec![
                    ("actor", UInt32, false, u32s(&r.actor)),
                    ("principal", UInt32, false, u32s(&r.principal)),
                    ("role", Utf8, false, strs(&r.role)),
                    ("from", Utf8, true, opt_strs(&r.from)),
                    ("to", Utf8, true, opt_strs(&r.to)),
                    ("first_day", Int32, false, i32s(&r.first_day)),
                    ("last_day", Int32, false, i32s(&r.last_day)),
                ])?,
            ),
            (
                "chains",
                batch(vec![
                    ("actor", UInt32, false, u32s(&h.actor)),
                    ("principal", UInt32, false, u32s(&h.principal)),
                    ("first_day", Int32, false, i32s(&h.first_day)),
                    ("last_day", Int32, false, i32s(&h.last_day)),
                    ("depth", UInt32, false, u32s(&h.depth)),
                ])?,
            ),
            ("claims", records(&self.claims, "stance")?),
            ("claim_topics", topics(&self.claim_topics, "claim")?),
            ("actions", records(&self.actions, "effect")?),
            ("action_topics", topics(&self.action_topics, "action")?),
            (
                "responses",
                batch(vec![
                    ("action", UInt32, false, u32s(&self.responses.0)),
                    ("answers", UInt32, false, u32s(&self.responses.1)),
                ])?,
            ),
        ])
    }

    /// Writes every table to `dir` (which must exist) as `NAME.parquet`.
    pub fn write_parquet(&self, dir: &Path) -> Result<()> {
        for (name, batch) in self.batches()? {
            write_parquet(&dir.join(format!("{name}.parquet")), &batch)?;
        }
        Ok(())
    }
}

/// Writes one batch as a Parquet file. A batch of no rows is written as
/// one row of nulls (every column nullable): a Ballista job waits for
/// ever on a table without rows (its scan has nothing to hand out), and
/// a row of nulls joins nothing (the plans keep it out of their results).
pub fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<()> {
    if batch.num_rows() == 0 {
        return write_rows(path, &null_row(&nullable(&batch.schema()))?);
    }
    write_rows(path, batch)
}

fn write_rows(path: &Path, batch: &RecordBatch) -> Result<()> {
    let file = std::fs::File::create(path)?;
    let mut writer = ArrowWriter::try_new(file, batch.schema(), None)?;
    writer.write(batch)?;
    writer.close()?;
    Ok(())
}

/// Reads a table written by [`write_parquet`] back as text: a line of
/// its columns (`name: type`), then a line per row, its cells between
/// tabs (`null` for a null). Two exports hold the same tables when these
/// lines are the same, and a difference shows as the row it is in.
pub fn read_rows(path: &Path) -> Result<Vec<String>> {
    use datafusion::arrow::array::RecordBatchReader;
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path)?)?.build()?;
    let schema = reader.schema();
    let mut lines = vec![
        schema
            .fields()
            .iter()
            .map(|f| format!("{}: {}", f.name(), f.data_type()))
            .collect::<Vec<_>>()
            .join("\t"),
    ];
    let options = FormatOptions::new().with_null("null");
    for batch in reader {
        let batch = batch?;
        let columns = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for row in 0..batch.num_rows() {
            let cells: Vec<String> = columns.iter().map(|c| c.value(row).to_string()).collect();
            lines.push(cells.join("\t"));
        }
    }
    Ok(lines)
}

/// The schema with every column nullable.
pub fn nullable(schema: &Schema) -> SchemaRef {
    Arc::new(Schema::new(
        schema
            .fields()
            .iter()
            .map(|f| f.as_ref().clone().with_nullable(true))
            .collect::<Vec<_>>(),
    ))
}

/// One row of nulls (`schema`'s columns must be nullable).
pub fn null_row(schema: &SchemaRef) -> Result<RecordBatch> {
    let columns = schema
        .fields()
        .iter()
        .map(|f| new_null_array(f.data_type(), 1))
        .collect();
    Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
}

/// The names of the tables the plans read.
pub const TABLES: [&str; 8] = [
    "actors",
    "roles",
    "chains",
    "claims",
    "claim_topics",
    "actions",
    "action_topics",
    "responses",
];
