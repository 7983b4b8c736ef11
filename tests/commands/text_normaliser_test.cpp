// The normaliser: what reports of one friction have in common once case, Unicode look-alikes,
// numbers, ids, addresses, amounts, stop words and inflections are set aside.
#include "commands/text_normaliser.hpp"

#include <catch2/catch.hpp>

using namespace cxos;

namespace {

std::string key(std::string_view text) { return normalised_key(text, text_language::en); }

} // namespace

TEST_CASE("case, punctuation, stop words and inflections do not matter", "[normaliser]") {
    CHECK(key("the invoice PDF is blank") == "invoic pdf blank");
    CHECK(key("Invoice pdf is blank!") == key("the invoice PDF is blank"));
    CHECK(key("customers say the invoice PDF is blank when downloaded") == "invoic pdf blank download");
    CHECK(key("Sync FAILED; syncs failing, sync fails") == "sync fail sync fail sync fail");
    CHECK(key("it is not the, a, an") == "");
}

TEST_CASE("numbers, ids, emails, URLs and amounts are masked", "[normaliser]") {
    CHECK(key("order 1234 failed") == key("order 5678 failed"));
    CHECK(key("order 1234 failed") == "order #num fail");
    CHECK(key("1,234.56 on 2024-03-01 at 10:30, 3rd time, 50%") == "#num #num #num #num time #num");
    CHECK(key("ABC-1234 INV_2024_0042 a1b2c3d4 0x1f3a 550e8400-e29b-41d4-a716-446655440000") ==
          "#id #id #id #id #id");
    CHECK(key("mail ana.lopez@acme.com or <mailto:jo@initech.com|jo>") == "mail #email #email");
    CHECK(key("see https://acme.io/billing?x=1, www.example.org and acme.co.uk/help") == "see #url #url #url");
    CHECK(key("$40, €12,50, £5, 40 USD, usd 40, 99.90 euros, 40eur") ==
          "#money #money #money #money #money #money #money");
    // Short mixes of letters and digits are words people say, not ids.
    CHECK(key("2FA via SMS, mp4 upload to S3") == "2fa via sm mp4 upload s3");
    // A file name is not a web address; a mention names a person, not the friction.
    CHECK(key("invoice.pdf broken @maria") == "invoic pdf broken");
}

TEST_CASE("Unicode look-alikes fold to ASCII", "[normaliser]") {
    CHECK(fold_text("ＩＮＶＯＩＣＥ １２３") == "invoice 123");                   // full-width
    CHECK(fold_text("ﬁle ﬂow") == "file flow");                                    // ligatures
    CHECK(fold_text("Café naïve Œuvre STRAẞE straße Łódź") == "cafe naive oeuvre stra\xe1\xba\x9e" "e strasse lodz");
    CHECK(fold_text("e\xcc\x81t\xc3\xa9") == "ete");                                    // combining accent
    CHECK(fold_text("“quoted” ‘single’ customer’s") == "\"quoted\" 'single' customer's");
    CHECK(fold_text("a–b—c−d") == "a-b-c-d");                                        // dashes and minus
    CHECK(fold_text("no\xc2\xa0" "break zero\xe2\x80\x8bwidth") == "no break zerowidth");
    CHECK(fold_text("€5 £5 ¥5") == "$5 $5 $5");
    CHECK(fold_text("ok👍done") == "ok done");                                         // emoji separate words
    CHECK(fold_text("Ελληνικά") == "Ελληνικά");                                       // other scripts pass through
    CHECK(fold_text("bad \xff\xfe bytes \xe2\x82") == "bad    bytes   ");                // a space per bad byte
    CHECK(key("The invoice’s PDF — blank") == key("the invoice's pdf - blank"));
}

TEST_CASE("one spelling for compounds, British forms and abbreviations", "[normaliser]") {
    CHECK(key("can't log-in") == key("cannot log in"));
    CHECK(key("logged in") == "login");
    CHECK(key("sign-up page") == key("signup page"));
    CHECK(key("timed out") == key("timeout"));
    CHECK(key("e-mail") == "email");
    CHECK(key("help centre") == key("help center"));
    CHECK(key("Single Sign-On broken") == key("SSO broken"));
    CHECK(key("two-factor code") == key("2FA code"));
}

TEST_CASE("Porter's stemmer gives the paper's stems", "[normaliser]") {
    const std::pair<const char*, const char*> cases[] = {
        {"caresses", "caress"}, {"ponies", "poni"},       {"cats", "cat"},         {"feed", "feed"},
        {"agreed", "agre"},     {"plastered", "plaster"}, {"motoring", "motor"},   {"sing", "sing"},
        {"conflated", "conflat"}, {"troubled", "troubl"}, {"sized", "size"},       {"hopping", "hop"},
        {"falling", "fall"},    {"hissing", "hiss"},      {"failing", "fail"},     {"filing", "file"},
        {"happy", "happi"},     {"sky", "sky"},           {"relational", "relat"}, {"conditional", "condit"},
        {"rational", "ration"}, {"valenci", "valenc"},    {"digitizer", "digit"},  {"vietnamization", "vietnam"},
        {"decisiveness", "decis"}, {"hopefulness", "hope"}, {"callousness", "callous"}, {"sensibiliti", "sensibl"},
        {"triplicate", "triplic"}, {"formative", "form"}, {"electrical", "electr"}, {"goodness", "good"},
        {"revival", "reviv"},   {"allowance", "allow"},   {"airliner", "airlin"},  {"gyroscopic", "gyroscop"},
        {"adjustable", "adjust"}, {"replacement", "replac"}, {"adoption", "adopt"}, {"activate", "activ"},
        {"probate", "probat"},  {"rate", "rate"},         {"cease", "ceas"},       {"controll", "control"},
        {"roll", "roll"},       {"generalizations", "gener"}, {"oscillators", "oscil"}, {"is", "is"},
    };
    for (const auto& [word, stem] : cases) {
        INFO(word);
        CHECK(stem_english(word) == stem);
    }
    CHECK(stem_english("#num") == "#num"); // masks and non-letters are left alone
    CHECK(stem_english("s3") == "s3");
}

TEST_CASE("English is the supported language, others are refused by name", "[normaliser]") {
    CHECK(parse_text_language("en") == text_language::en);
    CHECK(to_code(text_language::en) == "en");
    CHECK_FALSE(parse_text_language("de"));
    CHECK_FALSE(parse_text_language("EN-us"));
    CHECK(unsupported_language_message("de") == "grouping.language: 'de' is not supported (supported: en)");
}

TEST_CASE("mask tokens are recognisable and never words", "[normaliser]") {
    for (auto m : {mask_token::number, mask_token::id, mask_token::email, mask_token::url, mask_token::money})
        CHECK(is_mask_token(m));
    CHECK_FALSE(is_mask_token("invoic"));
    CHECK_FALSE(is_mask_token(""));
    for (const auto& t : normalise("### #hashtag #1 C# F#", text_language::en)) CHECK((t == "#num" || !is_mask_token(t)));
}
