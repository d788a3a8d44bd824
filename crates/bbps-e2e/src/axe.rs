//! axe-core (the engine behind most accessibility checkers) on the page as it is, against WCAG 2.1 A and AA.

use serde_json::{Value, json};

use crate::{Browser, Result, workspace_root};

/// The axe-core script `cargo xtask setup` installs.
pub fn source() -> Result<String> {
    let path = workspace_root().join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e} (cargo xtask setup installs axe-core)", path.display()).into())
}

/// Runs axe on the current page (or frame) and returns its violations, one line each, tagged with `screen`.
pub async fn audit(b: &Browser, axe: &str, screen: &str) -> Result<Vec<String>> {
    let loaded = b.client.execute("return typeof window.axe === 'object';", vec![]).await?;
    if loaded != json!(true) {
        b.client.execute(axe, vec![]).await?;
    }
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,\
                 nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) }))))\
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
            vec![],
        )
        .await?;
    let violations = result.as_array().cloned().unwrap_or_default();
    Ok(violations
        .iter()
        .map(|v: &Value| format!("[{screen}] {} ({}): {} — {}", v["id"], v["impact"], v["help"], v["nodes"]))
        .collect())
}
