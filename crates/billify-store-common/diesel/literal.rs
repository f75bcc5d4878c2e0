//! [`Code`]: a fixed text written into a statement's SQL rather than bound as a parameter.
//!
//! Both databases decide whether a partial index serves a query (`invoices_open ... WHERE
//! status <> 'paid'`, `jobs_due ... WHERE status = 'queued'`) from the query's own text. A
//! condition like `status <> ?` bound to `'paid'` proves nothing to a plan made without the
//! value: PostgreSQL's generic plan of a prepared statement cannot use the index (so it keeps
//! planning the statement at each execution), and SQLite, built with the query planner stability
//! guarantee (`ENABLE_QPSG`, see `billify-store-sqlite`), does not look at bound values at all.
//! Written as `status <> 'paid'`, the condition matches the index's in every plan.
//!
//! Only `&'static str` values are accepted: codes of the domain's enums and constants of the
//! code, never a user's input. The SQL text differs per value, so each value is its own cached
//! prepared statement; codes are few.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::Text;

use crate::dialect::Db;

/// A text constant of the code, written into the SQL as a quoted literal: `Code("paid")` is
/// `'paid'`. Use it where a column is compared with a constant that a partial index's
/// condition names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Code(pub &'static str);

impl Expression for Code {
    type SqlType = Text;
}

impl<QS> AppearsOnTable<QS> for Code {}

impl<QS> SelectableExpression<QS> for Code {}

impl ValidGrouping<()> for Code {
    type IsAggregate = is_aggregate::Never;
}

impl QueryId for Code {
    type QueryId = ();
    // The value is part of the SQL text: statements are cached by their text, not their type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Db> for Code {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Db>) -> QueryResult<()> {
        push_quoted(&mut out, self.0);
        Ok(())
    }
}

/// `column IN ('a', 'b', ...)` with the codes written into the SQL (`eq_any` binds each).
pub(crate) fn codes_contain<C>(column: C, codes: Vec<&'static str>) -> CodesContain<C> {
    CodesContain { column, codes }
}

/// `column IN ('a', 'b', ...)`, made by [`codes_contain`].
#[derive(Debug, Clone)]
pub(crate) struct CodesContain<C> {
    column: C,
    codes: Vec<&'static str>,
}

impl<C: Expression<SqlType = Text>> Expression for CodesContain<C> {
    type SqlType = diesel::sql_types::Bool;
}

impl<QS, C: AppearsOnTable<QS> + Expression<SqlType = Text>> AppearsOnTable<QS> for CodesContain<C> {}

impl<QS, C: SelectableExpression<QS> + Expression<SqlType = Text>> SelectableExpression<QS> for CodesContain<C> {}

impl<C: ValidGrouping<()>> ValidGrouping<()> for CodesContain<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C> QueryId for CodesContain<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Db>> QueryFragment<Db> for CodesContain<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Db>) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, code) in self.codes.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            push_quoted(&mut out, code);
        }
        out.push_sql("))");
        Ok(())
    }
}

/// Writes `text` as an SQL string literal (quotes doubled).
fn push_quoted(out: &mut AstPass<'_, '_, Db>, text: &str) {
    out.push_sql("'");
    out.push_sql(&text.replace('\'', "''"));
    out.push_sql("'");
}
