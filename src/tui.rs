//! The terminal loop: init/restore, events → actions, effects → store.
//! (Placeholder until the council screen lands: prints the ranking.)

use crate::cli::{Lang, Theme};
use crate::store::Store;

pub struct TuiOptions {
    pub reviewer: String,
    pub lang: Lang,
    pub theme: Theme,
}

pub fn run(store: Store, options: TuiOptions) -> anyhow::Result<()> {
    let session = store
        .load_session()?
        .ok_or_else(|| anyhow::anyhow!("empty session"))?;
    let table = crate::domain::rollup::standings(&session, Default::default(), &Default::default());
    print!(
        "{}",
        crate::cli::render_summary(&session, &table, &crate::cli::Texts::new(options.lang))
    );
    Ok(())
}
