//! The X keysym of a shortcut's key. Letters, digits, F-keys and keypad digits follow from the
//! key's name; the other keys a shortcut may reasonably use are listed.

use global_hotkey::hotkey::Code;
use xkeysym::key;

/// The keysym for `code`, or `None` for a key Jotline does not offer as a global shortcut.
pub fn keysym_of(code: Code) -> Option<u32> {
    let name = code.to_string();
    if let Some(letter) = one_char(name.strip_prefix("Key")) {
        return letter
            .is_ascii_uppercase()
            .then(|| u32::from(letter.to_ascii_lowercase()));
    }
    if let Some(digit) = one_char(name.strip_prefix("Digit")) {
        return digit.is_ascii_digit().then(|| u32::from(digit));
    }
    if let Some(digit) = one_char(name.strip_prefix("Numpad")) {
        return digit.to_digit(10).map(|d| key::KP_0 + d);
    }
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok()) {
        return (1..=24).contains(&n).then(|| key::F1 + n - 1);
    }
    Some(match code {
        Code::Space => key::space,
        Code::Enter => key::Return,
        Code::Tab => key::Tab,
        Code::Escape => key::Escape,
        Code::Backspace => key::BackSpace,
        Code::Delete => key::Delete,
        Code::Insert => key::Insert,
        Code::Home => key::Home,
        Code::End => key::End,
        Code::PageUp => key::Page_Up,
        Code::PageDown => key::Page_Down,
        Code::ArrowLeft => key::Left,
        Code::ArrowRight => key::Right,
        Code::ArrowUp => key::Up,
        Code::ArrowDown => key::Down,
        Code::PrintScreen => key::Print,
        Code::Minus => key::minus,
        Code::Equal => key::equal,
        Code::BracketLeft => key::bracketleft,
        Code::BracketRight => key::bracketright,
        Code::Backslash => key::backslash,
        Code::Semicolon => key::semicolon,
        Code::Quote => key::apostrophe,
        Code::Backquote => key::grave,
        Code::Comma => key::comma,
        Code::Period => key::period,
        Code::Slash => key::slash,
        Code::NumpadAdd => key::KP_Add,
        Code::NumpadSubtract => key::KP_Subtract,
        Code::NumpadMultiply => key::KP_Multiply,
        Code::NumpadDivide => key::KP_Divide,
        Code::NumpadDecimal => key::KP_Decimal,
        Code::NumpadEnter => key::KP_Enter,
        _ => return None,
    })
}

/// The single character of `rest`, if it is exactly one.
fn one_char(rest: Option<&str>) -> Option<char> {
    let mut chars = rest?.chars();
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_digits_and_function_keys_follow_their_names() {
        assert_eq!(keysym_of(Code::KeyA), Some(key::a));
        assert_eq!(keysym_of(Code::KeyZ), Some(key::z));
        assert_eq!(keysym_of(Code::Digit0), Some(key::_0));
        assert_eq!(keysym_of(Code::Digit9), Some(key::_9));
        assert_eq!(keysym_of(Code::F1), Some(key::F1));
        assert_eq!(keysym_of(Code::F12), Some(key::F12));
        assert_eq!(keysym_of(Code::F24), Some(key::F24));
        assert_eq!(keysym_of(Code::Numpad7), Some(key::KP_7));
    }

    #[test]
    fn named_keys_and_unsupported_ones() {
        assert_eq!(keysym_of(Code::Space), Some(key::space));
        assert_eq!(keysym_of(Code::Slash), Some(key::slash));
        assert_eq!(keysym_of(Code::ArrowUp), Some(key::Up));
        assert_eq!(keysym_of(Code::Fn), None);
        assert_eq!(keysym_of(Code::MediaPlayPause), None);
    }
}
