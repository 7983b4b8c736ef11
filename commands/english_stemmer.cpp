// Porter's stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), written from the
// paper's rules. It conflates the inflections agents mix freely (fail, failed, failing, fails;
// blank, blanks; arrive, arrived, arriving) and some derivations (activation, activate). It
// over-stems now and then (university, universe -> univers), which costs grouping little: the
// same stem still has to appear next to the same other words.
#include "commands/text_normaliser.hpp"

namespace cxos {
namespace {

class porter {
public:
    explicit porter(std::string_view word) : b_(word), k_(static_cast<int>(word.size()) - 1) {}

    std::string run() {
        if (k_ <= 1) return b_; // words of one or two letters stay as they are
        step1ab();
        if (k_ > 0) {
            step1c();
            step2();
            step3();
            step4();
            step5();
        }
        return b_.substr(0, static_cast<std::size_t>(k_ + 1));
    }

private:
    std::string b_;
    int k_;     // the last letter of the current stem
    int j_ = 0; // the last letter before a suffix found by ends()

    char at(int i) const { return b_[static_cast<std::size_t>(i)]; }

    bool consonant(int i) const {
        switch (at(i)) {
        case 'a': case 'e': case 'i': case 'o': case 'u': return false;
        case 'y': return i == 0 || !consonant(i - 1);
        default: return true;
        }
    }

    // m in [C](VC)^m[V] over b[0..j]: how many vowel-consonant sequences the stem has.
    int measure() const {
        int n = 0, i = 0;
        for (;; ++i) {
            if (i > j_) return n;
            if (!consonant(i)) break;
        }
        ++i;
        for (;;) {
            for (;; ++i) {
                if (i > j_) return n;
                if (consonant(i)) break;
            }
            ++i;
            ++n;
            for (;; ++i) {
                if (i > j_) return n;
                if (!consonant(i)) break;
            }
            ++i;
        }
    }

    bool vowel_in_stem() const {
        for (int i = 0; i <= j_; ++i)
            if (!consonant(i)) return true;
        return false;
    }

    bool double_consonant(int i) const { return i >= 1 && at(i) == at(i - 1) && consonant(i); }

    // consonant-vowel-consonant ending at i, the last not w, x or y: hop(e), cav(e), but not snow.
    bool cvc(int i) const {
        if (i < 2 || !consonant(i) || consonant(i - 1) || !consonant(i - 2)) return false;
        char c = at(i);
        return c != 'w' && c != 'x' && c != 'y';
    }

    bool ends(std::string_view s) {
        int len = static_cast<int>(s.size());
        if (len > k_ + 1) return false;
        if (std::string_view(b_).substr(static_cast<std::size_t>(k_ + 1 - len), s.size()) != s) return false;
        j_ = k_ - len;
        return true;
    }

    void set_to(std::string_view s) {
        b_.replace(static_cast<std::size_t>(j_ + 1), static_cast<std::size_t>(k_ - j_), s);
        k_ = j_ + static_cast<int>(s.size());
    }

    void replace_if_measured(std::string_view s) {
        if (measure() > 0) set_to(s);
    }

    // Plurals and -ed or -ing: caresses -> caress, ponies -> poni, hoped -> hope, hopping -> hop.
    void step1ab() {
        if (at(k_) == 's') {
            if (ends("sses")) k_ -= 2;
            else if (ends("ies")) set_to("i");
            else if (at(k_ - 1) != 's') --k_;
        }
        if (ends("eed")) {
            if (measure() > 0) --k_;
        } else if ((ends("ed") || ends("ing")) && vowel_in_stem()) {
            k_ = j_;
            if (ends("at")) set_to("ate");
            else if (ends("bl")) set_to("ble");
            else if (ends("iz")) set_to("ize");
            else if (double_consonant(k_)) {
                --k_;
                char c = at(k_);
                if (c == 'l' || c == 's' || c == 'z') ++k_;
            } else if (j_ = k_, measure() == 1 && cvc(k_)) {
                set_to("e");
            }
        }
    }

    // A final y after a vowel in the stem becomes i: happy -> happi, sky stays.
    void step1c() {
        if (ends("y") && vowel_in_stem()) b_[static_cast<std::size_t>(k_)] = 'i';
    }

    bool replace_first(std::initializer_list<std::pair<std::string_view, std::string_view>> rules) {
        for (const auto& [suffix, by] : rules)
            if (ends(suffix)) {
                replace_if_measured(by);
                return true;
            }
        return false;
    }

    // Double suffixes to single ones: relational -> relate, activation -> activate.
    void step2() {
        replace_first({{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"},
                       {"izer", "ize"},    {"bli", "ble"},     {"alli", "al"},    {"entli", "ent"},
                       {"eli", "e"},       {"ousli", "ous"},   {"ization", "ize"}, {"ation", "ate"},
                       {"ator", "ate"},    {"alism", "al"},    {"iveness", "ive"}, {"fulness", "ful"},
                       {"ousness", "ous"}, {"aliti", "al"},    {"iviti", "ive"},  {"biliti", "ble"},
                       {"logi", "log"}});
    }

    // -ic-, -full, -ness: electrical -> electric, hopeful -> hope, goodness -> good.
    void step3() {
        replace_first({{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"},
                       {"ful", ""}, {"ness", ""}});
    }

    // Remaining suffixes of longer stems: adjustment -> adjust, activate -> activ.
    void step4() {
        static constexpr std::string_view suffixes[] = {"al",   "ance", "ence", "er",  "ic",  "able", "ible",
                                                        "ant",  "ement", "ment", "ent", "ion", "ou",   "ism",
                                                        "ate",  "iti",  "ous",  "ive", "ize"};
        for (auto s : suffixes) {
            if (!ends(s)) continue;
            if (s == "ion" && (j_ < 0 || (at(j_) != 's' && at(j_) != 't'))) return;
            if (measure() > 1) k_ = j_;
            return;
        }
    }

    // A final e or double l of longer stems: probate -> probat, controll -> control.
    void step5() {
        j_ = k_;
        if (at(k_) == 'e') {
            int m = measure();
            if (m > 1 || (m == 1 && !cvc(k_ - 1))) --k_;
        }
        if (at(k_) == 'l' && double_consonant(k_) && measure() > 1) --k_;
    }
};

} // namespace

std::string stem_english(std::string_view word) {
    for (char c : word)
        if (c < 'a' || c > 'z') return std::string(word); // masks, digits and other scripts stay
    return porter(word).run();
}

} // namespace cxos
