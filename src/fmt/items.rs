//! Items, statements, blocks, train fields and `measure for` bodies: what decides lines.

use super::Printer;
use crate::ast::{Block, Expr, Field, Ident, Item, ItemKind, Program, Stmt, StmtKind};

impl Printer<'_> {
    pub(super) fn program(&mut self, program: &Program) {
        for item in &program.items {
            self.item(item);
        }
    }

    fn item(&mut self, item: &Item) {
        if let ItemKind::Stmt(statement) = &item.kind {
            self.statement(statement);
            return;
        }
        self.unit_start(item.span.start as usize);
        let mut line = String::new();
        match &item.kind {
            ItemKind::Qubits(count) => {
                line.push_str("qubits ");
                self.write_expr_into(count, &mut line);
            }
            ItemKind::Input { name, shape } => {
                line.push_str("input ");
                line.push_str(&name.name);
                self.write_shape(shape.as_deref(), &mut line);
            }
            ItemKind::Param { name, shape, init } => {
                line.push_str("param ");
                line.push_str(&name.name);
                self.write_shape(shape.as_deref(), &mut line);
                if let Some(init) = init {
                    line.push_str(" = ");
                    self.write_expr_into(init, &mut line);
                }
            }
            ItemKind::Const { name, value } => {
                line.push_str("const ");
                line.push_str(&name.name);
                line.push_str(" = ");
                self.write_expr_into(value, &mut line);
            }
            ItemKind::Measure(list) => {
                line.push_str("measure ");
                self.write_list(list, &mut line);
            }
            ItemKind::Head(layers) => {
                line.push_str("head ");
                self.write_list(layers, &mut line);
            }
            ItemKind::Encode(layers) => {
                line.push_str("encode ");
                self.write_list(layers, &mut line);
            }
            ItemKind::Def { name, params, body } => {
                line.push_str("def ");
                line.push_str(&name.name);
                line.push('(');
                for (position, param) in params.iter().enumerate() {
                    if position > 0 {
                        line.push_str(", ");
                    }
                    line.push_str(&param.name.name);
                    self.write_shape(param.shape.as_deref(), &mut line);
                }
                line.push_str(") ");
                self.block(line, body);
                self.trailing_comments(item.span.end as usize);
                return;
            }
            ItemKind::Circuit { body, .. } => {
                self.block("circuit ".to_string(), body);
                self.trailing_comments(item.span.end as usize);
                return;
            }
            ItemKind::UnknownBlock { keyword, label, body } => {
                line.push_str(&keyword.name);
                line.push(' ');
                if let Some(label) = label {
                    line.push_str(&label.name);
                    line.push(' ');
                }
                self.block(line, body);
                self.trailing_comments(item.span.end as usize);
                return;
            }
            ItemKind::MeasureFor { var, start, end, items } => {
                line.push_str("measure for ");
                line.push_str(&var.name);
                line.push_str(" in ");
                self.write_range(start, end, &mut line);
                line.push(' ');
                let open = self.next_token_offset(end.span.end as usize);
                self.measure_for_body(line, items, open, item.span.end as usize - 1);
                self.trailing_comments(item.span.end as usize);
                return;
            }
            ItemKind::Train { keyword, name, fields } => {
                line.push_str("train ");
                if let Some(name) = name {
                    line.push_str(&name.name);
                    line.push(' ');
                }
                let after_header = name.as_ref().map_or(keyword.end as usize, |name: &Ident| name.span.end as usize);
                let open = self.next_token_offset(after_header);
                self.train_body(line, fields, open, item.span.end as usize - 1);
                self.trailing_comments(item.span.end as usize);
                return;
            }
            // Never reached: a program with an unreadable line is not formatted. Should one come,
            // it is printed as written.
            ItemKind::Stmt(_) | ItemKind::Error => line.push_str(&self.text[item.span.range()]),
        }
        self.interior_comments(item.span.end as usize);
        self.push_line(line);
        self.trailing_comments(item.span.end as usize);
    }

    fn write_expr_into(&self, expr: &Expr, line: &mut String) {
        line.push_str(&self.expr_text(expr));
    }

    fn statement(&mut self, statement: &Stmt) {
        self.unit_start(statement.span.start as usize);
        let mut line = String::new();
        match &statement.kind {
            StmtKind::Apply { name, args, wires } => {
                self.write_application(name, args.as_ref().map(|list| list.args.as_slice()), wires, &mut line);
                self.interior_comments(statement.span.end as usize);
                self.push_line(line);
            }
            StmtKind::For { var, start, end, body } => {
                line.push_str("for ");
                line.push_str(&var.name);
                line.push_str(" in ");
                self.write_range(start, end, &mut line);
                line.push(' ');
                self.block(line, body);
            }
            StmtKind::Adj { body, .. } => self.block("adj ".to_string(), body),
            StmtKind::Ctrl { controls, body, .. } => {
                line.push_str("ctrl(");
                self.write_list(controls, &mut line);
                line.push_str(") ");
                self.block(line, body);
            }
            StmtKind::BareBlock(body) => self.block(String::new(), body),
            StmtKind::Error => {
                self.interior_comments(statement.span.end as usize);
                self.push_line(self.text[statement.span.range()].to_string());
            }
        }
        self.trailing_comments(statement.span.end as usize);
    }

    /// Prints `header` followed by a block: on one line when the block holds one gate application
    /// and was written on one line without comments, else with a line per statement.
    fn block(&mut self, header: String, block: &Block) {
        let (open, close) = (block.span.start as usize, block.span.end as usize - 1);
        self.interior_comments(open);
        let mut line = header;
        let has_comment = self.has_comment_within(open, close);
        if block.stmts.is_empty() && !has_comment {
            line.push_str("{}");
            self.push_line(line);
            self.cursor = block.span.end as usize;
            return;
        }
        if let [only @ Stmt { kind: StmtKind::Apply { name, args, wires }, .. }] = block.stmts.as_slice() {
            if !has_comment && self.is_one_line(open, close) {
                line.push_str("{ ");
                self.write_application(name, args.as_ref().map(|list| list.args.as_slice()), wires, &mut line);
                line.push_str(" }");
                self.push_line(line);
                self.cursor = (block.span.end as usize).max(only.span.end as usize);
                return;
            }
        }
        line.push('{');
        self.push_line(line);
        self.open_block(open);
        for statement in &block.stmts {
            self.statement(statement);
        }
        self.close_block(close);
    }

    /// A train block: the fields' values aligned one column after the longest name.
    fn train_body(&mut self, header: String, fields: &[Field], open: usize, close: usize) {
        self.interior_comments(open);
        let mut line = header;
        let has_comment = self.has_comment_within(open, close);
        let field_line = |printer: &Self, field: &Field, width: usize| {
            // A bare field (`minimize`) is its name alone, without the alignment's padding.
            match &field.value {
                Some(value) => {
                    let mut text = format!("{:<width$}", field.name.name);
                    text.push_str(&printer.expr_text(value));
                    text
                }
                None => field.name.name.clone(),
            }
        };
        match fields {
            [] if !has_comment => {
                line.push_str("{}");
                self.push_line(line);
                self.cursor = close + 1;
                return;
            }
            [only] if !has_comment && self.is_one_line(open, close) => {
                line.push_str("{ ");
                line.push_str(&field_line(self, only, only.name.name.chars().count() + 1));
                line.push_str(" }");
                self.push_line(line);
                self.cursor = close + 1;
                return;
            }
            _ => {}
        }
        let width = fields.iter().map(|field| field.name.name.chars().count()).max().unwrap_or(0) + 1;
        line.push('{');
        self.push_line(line);
        self.open_block(open);
        for field in fields {
            self.unit_start(field.span.start as usize);
            self.interior_comments(field.span.end as usize);
            let text = field_line(self, field, width);
            self.push_line(text);
            self.trailing_comments(field.span.end as usize);
        }
        self.close_block(close);
    }

    /// The measurements of a `measure for`: on one line, `, `-separated, when written on one line
    /// without comments; else one a line.
    fn measure_for_body(&mut self, header: String, items: &[Expr], open: usize, close: usize) {
        self.interior_comments(open);
        let mut line = header;
        if !self.has_comment_within(open, close) && self.is_one_line(open, close) {
            if items.is_empty() {
                line.push_str("{}");
            } else {
                line.push_str("{ ");
                self.write_list(items, &mut line);
                line.push_str(" }");
            }
            self.push_line(line);
            self.cursor = close + 1;
            return;
        }
        line.push('{');
        self.push_line(line);
        self.open_block(open);
        for item in items {
            self.unit_start(item.span.start as usize);
            self.interior_comments(item.span.end as usize);
            let text = self.expr_text(item);
            self.push_line(text);
            self.trailing_comments(item.span.end as usize);
        }
        self.close_block(close);
    }
}
