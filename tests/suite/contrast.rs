//! The default theme's text colours meet WCAG AA (4.5:1) on its backgrounds, in light and in
//! dark mode; read from the stylesheet's custom properties, so a colour change that breaks it
//! fails here.

use std::collections::HashMap;

const CSS: &str = include_str!("../../themes/default/static/style.css");

/// The `--name: #rrggbb;` properties of the first `:root { … }` block after `from`.
fn palette(from: usize) -> HashMap<String, String> {
    let start = CSS[from..].find(":root {").expect(":root block") + from;
    let end = CSS[start..].find('}').expect("end of block") + start;
    CSS[start..end]
        .lines()
        .filter_map(|line| {
            let (name, value) = line.trim().strip_prefix("--")?.split_once(':')?;
            let value = value.trim().trim_end_matches(';');
            value
                .starts_with('#')
                .then(|| (name.to_string(), value.to_string()))
        })
        .collect()
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).expect("hex colour"))
            / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[test]
fn text_colours_meet_aa_on_every_background_in_both_modes() {
    let light = palette(0);
    let dark = palette(CSS.find("prefers-color-scheme: dark").expect("a dark mode"));
    for (mode, colours) in [("light", &light), ("dark", &dark)] {
        for text in ["fg", "muted", "accent", "good", "warn", "bad"] {
            for background in ["bg", "card"] {
                let ratio = contrast(&colours[text], &colours[background]);
                assert!(
                    ratio >= 4.5,
                    "{mode}: --{text} on --{background} is {ratio:.2}:1, under 4.5:1"
                );
            }
        }
        let ratio = contrast(&colours["fg"], &colours["accent-soft"]);
        assert!(
            ratio >= 4.5,
            "{mode}: badge text on --accent-soft is {ratio:.2}:1"
        );
    }
}
