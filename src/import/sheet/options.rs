//! What a spreadsheet import is told: which column holds which field,
//! what the rows are, and how dates are written.

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};
use std::fmt;

/// A field of a claim or action that a spreadsheet column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetField {
    /// The record's id (else one is made from the file's name and the
    /// row's number).
    Id,
    /// Who said or did it (a name).
    Actor,
    /// Toward whom (a name).
    Target,
    /// When.
    Date,
    /// What was said or done.
    Text,
    /// The stance of a claim or the effect of an action, -10 to +10.
    Score,
    /// Topics, separated by `;` or `,`.
    Topics,
    /// A link to the source.
    Url,
    /// How firmly an action is tied to its actor.
    Attribution,
    /// Free text.
    Notes,
    /// Whether the row is a claim or an action.
    Kind,
}

impl SheetField {
    /// Every field, in the order of the mapping's documentation.
    pub const ALL: [SheetField; 11] = [
        SheetField::Id,
        SheetField::Actor,
        SheetField::Target,
        SheetField::Date,
        SheetField::Text,
        SheetField::Score,
        SheetField::Topics,
        SheetField::Url,
        SheetField::Attribution,
        SheetField::Notes,
        SheetField::Kind,
    ];

    /// The field's name, as `--map` and a column header write it.
    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The names the field goes by: its own, and for the score the
    /// dataset's `stance` and `effect`.
    pub fn names(self) -> &'static [&'static str] {
        // In the order of the variants.
        const NAMES: [&[&str]; 11] = [
            &["id"],
            &["actor"],
            &["target"],
            &["date"],
            &["text"],
            &["score", "stance", "effect"],
            &["topics"],
            &["url"],
            &["attribution"],
            &["notes"],
            &["kind"],
        ];
        NAMES[self as usize]
    }

    /// The field a name (any of [`SheetField::names`], in any case) names.
    pub fn parse(name: &str) -> Option<SheetField> {
        let name = name.trim();
        SheetField::ALL
            .into_iter()
            .find(|f| f.names().iter().any(|n| n.eq_ignore_ascii_case(name)))
    }

    /// Whether every row must have a value of this field.
    pub fn required(self) -> bool {
        matches!(
            self,
            SheetField::Actor | SheetField::Date | SheetField::Text | SheetField::Score
        )
    }
}

impl fmt::Display for SheetField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What every row of a spreadsheet is (`--kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum SheetKind {
    /// Every row is a claim: the score is its stance.
    Claims,
    /// Every row is an action: the score is its effect.
    Actions,
}

/// `field=column`, one `--map` option: the field is taken from the
/// column whose header is `column`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    /// The field.
    pub field: SheetField,
    /// The header of the column (compared ignoring case and surrounding
    /// spaces).
    pub column: String,
}

impl std::str::FromStr for ColumnMap {
    type Err = String;

    /// Parses `field=column`; an unknown field is named with the fields
    /// there are, and the closest one when it is close.
    fn from_str(s: &str) -> Result<ColumnMap, String> {
        let Some((field, column)) = s.split_once('=') else {
            return Err(format!("\"{s}\" is not FIELD=COLUMN (e.g. actor=Who)"));
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(format!("\"{s}\" names no column after ="));
        }
        let Some(field) = SheetField::parse(field) else {
            let names = SheetField::ALL
                .iter()
                .flat_map(|f| f.names().iter().copied());
            let near = crate::suggest::closest(field, names)
                .map(|n| format!("did you mean {n}? "))
                .unwrap_or_default();
            return Err(format!(
                "unknown field \"{}\"; {near}fields are {}",
                field.trim(),
                field_list()
            ));
        };
        Ok(ColumnMap {
            field,
            column: column.to_string(),
        })
    }
}

/// The fields, as `--help` and messages list them.
pub(crate) fn field_list() -> String {
    SheetField::ALL
        .iter()
        .map(|f| match f {
            SheetField::Score => "score (or stance, effect)".to_string(),
            f => f.name().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a spreadsheet writes its dates besides `YYYY-MM-DD`: a chrono
/// strftime format that names a year, a month and a day, such as
/// `%d/%m/%Y` for `15/08/2021`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat(String);

impl DateFormat {
    /// The format, if chrono understands it and it gives a day (a year,
    /// a month and a day of the month); else why not.
    pub fn new(format: &str) -> Result<DateFormat, String> {
        if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
            return Err(format!(
                "\"{format}\" is not a strftime format (write dates like 15/08/2021 as %d/%m/%Y)"
            ));
        }
        // A format that writes a day and reads it back names one.
        let day = NaiveDate::from_ymd_opt(2021, 8, 15).unwrap_or_default();
        let written = day.format(format).to_string();
        if NaiveDate::parse_from_str(&written, format) != Ok(day) {
            return Err(format!(
                "\"{format}\" does not give a day: it needs a year, a month and a day (e.g. %d/%m/%Y)"
            ));
        }
        Ok(DateFormat(format.to_string()))
    }

    /// The format, as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for DateFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<DateFormat, String> {
        DateFormat::new(s)
    }
}

/// How to read a spreadsheet (`saydo import csv`); the other formats
/// take none of these.
///
/// Columns whose header is a field's name (`actor`, `date`, `text`,
/// `score` or `stance` or `effect` …, in any case) hold that field without
/// being mapped; `map` names the others, and overrides those.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SheetOptions {
    /// Which column holds which field (`--map field=column`).
    pub map: Vec<ColumnMap>,
    /// What every row is (`--kind`); without it, a `kind` column says
    /// per row (`claim` or `action`).
    pub kind: Option<SheetKind>,
    /// How dates are written besides `YYYY-MM-DD`, `YYYY-MM` and `YYYY`
    /// (`--date-format`).
    pub date_format: Option<DateFormat>,
}

impl SheetOptions {
    /// Whether no option is set (as for every format but `csv`).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty() && self.kind.is_none() && self.date_format.is_none()
    }

    /// Why the options do not go together, if they do not: a field mapped
    /// twice, or `kind` both given and mapped.
    pub fn conflict(&self) -> Option<String> {
        for (i, m) in self.map.iter().enumerate() {
            if let Some(other) = self.map[..i].iter().find(|o| o.field == m.field) {
                return Some(format!(
                    "--map {}={} and --map {}={} map the same field",
                    other.field, other.column, m.field, m.column
                ));
            }
        }
        if let (Some(kind), Some(m)) = (
            self.kind,
            self.map.iter().find(|m| m.field == SheetField::Kind),
        ) {
            let kind = match kind {
                SheetKind::Claims => "claims",
                SheetKind::Actions => "actions",
            };
            return Some(format!(
                "--kind {kind} says what every row is, and --map kind={} says a column does: give one",
                m.column
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_go_by_their_names_and_the_score_by_stance_and_effect() {
        // `names` is indexed by the variant: `ALL` keeps their order.
        for (i, f) in SheetField::ALL.into_iter().enumerate() {
            assert_eq!(f as usize, i);
            assert_eq!(SheetField::parse(f.name()), Some(f));
        }
        let names: Vec<&str> = SheetField::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "id",
                "actor",
                "target",
                "date",
                "text",
                "score",
                "topics",
                "url",
                "attribution",
                "notes",
                "kind"
            ]
        );
        assert_eq!(SheetField::parse(" Stance "), Some(SheetField::Score));
        assert_eq!(SheetField::parse("EFFECT"), Some(SheetField::Score));
        assert_eq!(SheetField::parse("who"), None);
    }

    #[test]
    fn maps_are_field_equals_column() {
        let m: ColumnMap = "actor=Who".parse().unwrap();
        assert_eq!((m.field, m.column.as_str()), (SheetField::Actor, "Who"));
        let m: ColumnMap = "text= Said, in full ".parse().unwrap();
        assert_eq!(
            (m.field, m.column.as_str()),
            (SheetField::Text, "Said, in full")
        );
        // The column may hold '='.
        let m: ColumnMap = "notes=a=b".parse().unwrap();
        assert_eq!(m.column, "a=b");
        assert_eq!(
            "atcor=Who".parse::<ColumnMap>().unwrap_err(),
            "unknown field \"atcor\"; did you mean actor? fields are id, actor, target, date, text, score (or stance, effect), topics, url, attribution, notes, kind"
        );
        assert!(
            "actor"
                .parse::<ColumnMap>()
                .unwrap_err()
                .contains("FIELD=COLUMN")
        );
        assert!(
            "actor= "
                .parse::<ColumnMap>()
                .unwrap_err()
                .contains("no column")
        );
    }

    #[test]
    fn a_date_format_must_give_a_day() {
        assert_eq!(DateFormat::new("%d/%m/%Y").unwrap().as_str(), "%d/%m/%Y");
        assert!(DateFormat::new("%d %B %Y").is_ok());
        assert!(
            DateFormat::new("%m/%Y")
                .unwrap_err()
                .contains("does not give a day")
        );
        assert!(
            DateFormat::new("%Q")
                .unwrap_err()
                .contains("not a strftime format")
        );
        assert!(DateFormat::new("").is_err());
    }

    #[test]
    fn a_field_mapped_twice_or_a_kind_given_twice_conflicts() {
        let map = |s: &str| s.parse::<ColumnMap>().unwrap();
        let mut options = SheetOptions {
            map: vec![map("text=Said"), map("stance=Score")],
            kind: Some(SheetKind::Claims),
            date_format: None,
        };
        assert_eq!(options.conflict(), None);
        options.map.push(map("score=Other"));
        assert_eq!(
            options.conflict().unwrap(),
            "--map score=Score and --map score=Other map the same field"
        );
        options.map.pop();
        options.map.push(map("kind=Type"));
        assert!(options.conflict().unwrap().contains("give one"));
        assert!(SheetOptions::default().is_empty());
    }
}
