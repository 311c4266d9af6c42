use super::ast::{ArrayItem, BinaryOp, ExprKind};
use super::*;

fn ok(s: &str) -> Expr {
    match parse(s) {
        Ok(e) => e,
        Err(e) => panic!("{s:?} should parse: {e}"),
    }
}

fn bad(s: &str) -> Error {
    match parse(s) {
        Ok(_) => panic!("{s:?} should not parse"),
        Err(e) => e,
    }
}

fn text(src: &str, r: TextRange) -> &str {
    &src[r.start()..r.end()]
}

#[test]
fn precedence_and_spans() {
    let src = "a + b * c";
    let e = ok(src);
    let ExprKind::Binary { rest, .. } = &e.kind else {
        panic!("{e:?}")
    };
    let [(op, rhs)] = rest.as_slice() else {
        panic!("{e:?}")
    };
    assert_eq!(*op, BinaryOp::Add);
    assert!(matches!(&rhs.kind, ExprKind::Binary { rest, .. } if rest[0].0 == BinaryOp::Mul));
    assert_eq!(text(src, rhs.span), "b * c");

    // Operators of one precedence make one chain, read left to right.
    let src = "a + b - c & d * e";
    let e = ok(src);
    let ExprKind::Binary { lhs, rest } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(text(src, lhs.span), "a");
    let ops: Vec<BinaryOp> = rest.iter().map(|r| r.0).collect();
    assert_eq!(ops, [BinaryOp::Add, BinaryOp::Sub, BinaryOp::Concat]);
    assert_eq!(text(src, rest[2].1.span), "d * e");
    assert_eq!(text(src, e.span), src);
    // Parentheses and lower-precedence operators start new nodes.
    let e = ok("(a + b) + c = d + e");
    let ExprKind::Binary { lhs, rest } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].0, BinaryOp::Eq);
    assert!(
        matches!(&lhs.kind, ExprKind::Binary { lhs, rest } if rest.len() == 1 && matches!(lhs.kind, ExprKind::Block(_)))
    );

    let src = "$states.input.items[price > 10].name";
    let e = ok(src);
    let ExprKind::Path(steps) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(steps.len(), 4);
    assert!(matches!(&steps[0].kind, ExprKind::Variable(v) if v == "states"));
    assert!(matches!(steps[2].kind, ExprKind::Filter { .. }));
    assert_eq!(text(src, steps[2].span), "items[price > 10]");

    // `and` is an operator between operands and a name where a value goes.
    let e = ok("and and and");
    assert!(matches!(&e.kind, ExprKind::Binary { rest, .. } if rest[0].0 == BinaryOp::And));
    // A negated number is a number.
    assert!(matches!(ok("-1.5").kind, ExprKind::Number(v) if v == -1.5));
    // Ranges only in arrays.
    let e = ok("[1..3, 5]");
    let ExprKind::Array(items) = &e.kind else {
        panic!()
    };
    assert!(matches!(items[0], ArrayItem::Range(..)));
}

#[test]
fn every_construct_parses() {
    for s in [
        "$states.input",
        "$states.context.Execution.Id",
        "`Product Name`",
        "Account.Order[0].Product.Price * 2",
        "**.Price",
        "*.Price",
        "a.%.b",
        "{'a': 1, \"b\": [1, 2, 3]}",
        "[1..5]",
        "(a; b; c)",
        "$x := 5",
        "function($x, $y)<nn:n>{ $x + $y }(1, 2)",
        "λ($v){ $v * 2 }",
        "$f(?, 2)",
        "a ? b : c",
        "a ~> $uppercase()",
        "a^(>b, <c)",
        "a{b: $sum(c)}",
        "a@$v.b#$i",
        "|a|{'b': 1}, ['c']|",
        "/[a-z]+/i",
        "$match(x, /\\d+/)",
        "/* comment */ 1",
        "a in [1, 2]",
        "'a' & \"b\"",
        "$not(true) or false and null = null",
        "a[]",
        "$partition([1,2,3], 2)",
    ] {
        ok(s);
    }
}

#[test]
fn errors_point_at_the_offending_character() {
    let e = bad("($x + 1");
    assert_eq!(e.offset(), 7);
    assert_eq!(e.code, "S0203");
    assert!(
        e.message.contains("expected `)` to close `(`"),
        "{}",
        e.message
    );
    assert_eq!(e.related.map(|(r, _)| r.start()), Some(0));

    let e = bad("$a[1 2]");
    assert_eq!(e.offset(), 5);
    assert!(e.message.contains("expected `]`"), "{}", e.message);

    let e = bad("'unterminated");
    assert_eq!(e.offset(), 0);
    assert_eq!(e.code, "S0101");

    let e = bad("a ?? b");
    assert_eq!(e.offset(), 3, "2.0 has no `??`");
    let e = bad("a ?: b");
    assert_eq!(e.offset(), 3, "2.0 has no `?:`");

    let e = bad("$.a[?(@.x < 1)]");
    assert_eq!(e.code, "S0211");

    let e = bad("a.%.%");
    assert_eq!(e.code, "S0217");
    assert_eq!(e.offset(), 4);

    let e = bad("x := 1");
    assert_eq!(e.code, "S0212");
    let e = bad("a.1");
    assert_eq!(e.code, "S0213");
    assert_eq!(e.offset(), 2);
    let e = bad("/(/");
    assert_eq!(e.code, "S0302");
    let e = bad("/a{2,1}/");
    assert_eq!(e.offset(), 2);
    let e = bad("function($x)<n<n>>{1}");
    assert_eq!(e.code, "S0401");
    let e = bad("a !b");
    assert_eq!(e.code, "S0204");
    assert_eq!(e.offset(), 2);
    assert!(bad("").message.contains("end of expression"));
}

#[test]
fn display_mentions_offsets() {
    let e = bad("(1");
    assert_eq!(
        e.to_string(),
        "expected `)` to close `(`, found end of expression at offset 2 (opened here at offset 0)"
    );
}

#[test]
fn templates() {
    assert_eq!(
        template("{% $x %}"),
        Template::Expression {
            text: " $x ",
            offset: 2
        }
    );
    assert_eq!(
        template("{%$x%}"),
        Template::Expression {
            text: "$x",
            offset: 2
        }
    );
    assert_eq!(template("{% x"), Template::Malformed(Malformed::Unclosed));
    assert_eq!(template("{%}"), Template::Malformed(Malformed::Unclosed));
    assert_eq!(
        template(" {% x %}"),
        Template::Malformed(Malformed::OuterWhitespace)
    );
    assert_eq!(
        template("{% x %} "),
        Template::Malformed(Malformed::OuterWhitespace)
    );
    assert_eq!(
        template("x {% y %}"),
        Template::Malformed(Malformed::Unopened)
    );
    assert_eq!(template("50%}"), Template::Literal);
    assert_eq!(template("10 %}"), Template::Malformed(Malformed::Unopened));
    assert_eq!(template("$states.input"), Template::Literal);
    assert_eq!(template(""), Template::Literal);
}

#[test]
fn hostile_nesting_is_refused_without_overflow() {
    // Run on a thread with a small stack, like the linter's worker threads.
    let h = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            for src in [
                "(".repeat(100_000),
                "[".repeat(100_000),
                "{".repeat(100_000),
                "-".repeat(100_000) + "1",
                "$f(".repeat(100_000),
                "a".to_string() + &"[0]".repeat(50_000),
                "a ? ".repeat(50_000) + "b",
                "$x := ".repeat(50_000) + "1",
                "|a|".repeat(50_000),
                "function($x){".repeat(50_000),
            ] {
                let e = bad(&src);
                assert!(e.span.end() <= src.len());
            }
            // Wide but shallow input is fine.
            let wide = vec!["a"; 50_000].join(".");
            ok(&wide);
            let parents = "a.".repeat(20_000) + &vec!["%"; 20_000].join(".");
            ok(&parents);
            let wide_array = format!("[{}]", vec!["1"; 50_000].join(","));
            ok(&wide_array);
            // Long left-associative chains are wide nodes, not deep trees
            // (jsonata@2.0.6 accepts thousands of terms).
            ok(&("1".to_string() + &" + 1".repeat(50_000)));
            ok(&vec!["'x'"; 50_000].join(" & "));
            ok(&vec!["a = 1"; 20_000].join(" and "));
            ok(&("1".to_string() + &" - 2 + 3 & 'x'".repeat(20_000)));
            // Just inside the limits.
            let deep = "(".repeat(60) + "1" + &")".repeat(60);
            ok(&deep);
            let chain = "1".to_string() + &" + 1".repeat(120);
            ok(&chain);
        })
        .expect("thread");
    h.join().expect("no stack overflow");
}

/// A tiny deterministic generator (no dependency): xorshift.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_never_panics_and_spans_stay_inside() {
    let seeds = [
        "$states.input.a[0].b",
        "function($x)<n:n>{ $x * 2 }",
        "a ? b : c",
        "{'k': [1..3], \"l\": $f(?, /re/i)}",
        "a.b.%.c@$v#$i^(>d){e: f}",
        "|a|{'b': 1}, ['c']|",
        "( $x := 1; $x ~> $string() )",
        "`a b`.* ** /* c */ 'é🦀'",
        "\"\\u00e9\\uD83D\\uDE00\"",
        "$match(s, /(?<y>\\d{4})-[a-z]{2,}/)",
    ];
    let alphabet: Vec<char> = "()[]{}.,;:?%$@#^|&*/-+<>=~!\"'` 0aλ\\é🦀\n"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..20_000 {
        let mut s: Vec<char> = seeds[i % seeds.len()].chars().collect();
        for _ in 0..=rng.below(4) {
            let at = rng.below(s.len() + 1);
            match rng.below(3) {
                0 => s.insert(at, alphabet[rng.below(alphabet.len())]),
                1 if !s.is_empty() => {
                    s.remove(at.min(s.len() - 1));
                }
                _ if !s.is_empty() => {
                    let n = s.len();
                    s[at.min(n - 1)] = alphabet[rng.below(alphabet.len())];
                }
                _ => {}
            }
        }
        let src: String = s.into_iter().collect();
        match parse(&src) {
            Ok(e) => e.walk(|n| {
                assert!(n.span.end() <= src.len(), "{src:?}");
                assert!(src.is_char_boundary(n.span.start()) && src.is_char_boundary(n.span.end()));
            }),
            Err(e) => {
                assert!(e.span.end() <= src.len(), "{src:?}: {e}");
                assert!(
                    src.is_char_boundary(e.span.start()) && src.is_char_boundary(e.span.end()),
                    "{src:?}: {e}"
                );
            }
        }
    }
    // Random bytes too.
    for _ in 0..5_000 {
        let len = rng.below(40);
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let _ = parse(&s);
    }
}
