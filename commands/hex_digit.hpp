#pragma once
// One hexadecimal digit's value, for the decoders of what arrives from outside (a form's %XX, a
// signature header's hex): -1 for anything that is not a digit, so a caller refuses it.

namespace cxos {

inline int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace cxos
