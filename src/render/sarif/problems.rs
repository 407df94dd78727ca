//! Validation problems as a SARIF log: one rule per problem code
//! (`saydo/<code>`), one result per problem.

use super::log::{
    Configuration, Help, PhysicalLocation, Region, Rule, RuleProperties, SarifLocation,
    SarifResult, message_text, text, write_log,
};
use super::{PROBLEM_FINGERPRINT, artifact, dataset_artifact, fnv1a64, problem_rule_id};
use crate::diag::{Code, Diagnostic, Severity};
use crate::input::source::{FileId, Files};
use crate::render::common::Placer;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// `unknown-actor` → `UnknownActor`.
fn pascal(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn code_rule(code: Code) -> Rule {
    let description = code.description();
    Rule {
        id: problem_rule_id(code),
        name: pascal(code.as_str()),
        short_description: text(description),
        full_description: text(format!(
            "{description} Every problem names its file, line and column; errors make the dataset invalid, warnings do not."
        )),
        help: Help {
            text: format!(
                "{description} Run saydo validate on the dataset to see the problem with its source line and a hint."
            ),
            markdown: format!(
                "{description}\n\nRun `saydo validate` on the dataset to see the problem with its source line and a hint."
            ),
        },
        default_configuration: Configuration {
            level: level(code.severity()),
        },
        properties: RuleProperties {
            tags: vec!["saydo", "data"],
        },
    }
}

/// Writes validation problems as a SARIF log: one rule per problem code, one
/// result per problem, placed by line and column (start and end). A problem
/// of the whole dataset (a missing folder) is placed on the dataset folder,
/// since code scanning refuses results without a location.
pub fn write_problems(
    problems: &[Diagnostic],
    files: &Files,
    path_prefix: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut placer = Placer::new(files);
    // Repeats of the same problem in the same file are told apart by their
    // order, not their line, so fingerprints survive edits above them.
    let mut seen: HashMap<(Code, Option<FileId>, &str), usize> = HashMap::new();
    let mut results = Vec::with_capacity(problems.len());
    for d in problems {
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        let location = match d.file {
            Some(file) => {
                let place = placer.place(file, &d.span);
                PhysicalLocation {
                    artifact_location: artifact(files.display_bytes(file), path_prefix),
                    region: Some(Region {
                        start_line: place.line.max(1),
                        start_column: place.column.max(1),
                        end_line: Some(place.end_line.max(1)),
                        end_column: Some(place.end_column.max(1)),
                    }),
                }
            }
            None => PhysicalLocation {
                artifact_location: dataset_artifact(path_prefix),
                region: None,
            },
        };
        let related = d
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let place = placer.place(n.file, &n.span);
                SarifLocation {
                    id: Some(i as u32 + 1),
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(files.display_bytes(n.file), path_prefix),
                        region: Some(Region {
                            start_line: place.line.max(1),
                            start_column: place.column.max(1),
                            end_line: Some(place.end_line.max(1)),
                            end_column: Some(place.end_column.max(1)),
                        }),
                    },
                    message: Some(message_text(n.message.clone())),
                }
            })
            .collect();
        let occurrence = seen
            .entry((d.code, d.file, d.message.as_str()))
            .and_modify(|n| *n += 1)
            .or_insert(0);
        let file = d.file.map_or("", |f| files.display(f));
        let key = format!(
            "{}\u{1f}{file}\u{1f}{}\u{1f}{occurrence}",
            d.code.as_str(),
            d.message
        );
        results.push(SarifResult {
            rule_id: problem_rule_id(d.code),
            rule_index: Code::ALL.iter().position(|&c| c == d.code).unwrap_or(0),
            level: level(d.severity),
            message: message_text(message),
            locations: vec![SarifLocation {
                id: None,
                physical_location: location,
                message: None,
            }],
            related_locations: related,
            partial_fingerprints: BTreeMap::from([(
                PROBLEM_FINGERPRINT,
                format!("{:016x}", fnv1a64(key.as_bytes())),
            )]),
            baseline_state: None,
            suppressions: Vec::new(),
            properties: None,
        });
    }
    write_log(
        results,
        Code::ALL.iter().map(|&c| code_rule(c)).collect(),
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_pascal_case_names() {
        assert_eq!(pascal("unknown-actor"), "UnknownActor");
        assert_eq!(pascal("io-error"), "IoError");
    }
}
