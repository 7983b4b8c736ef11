#pragma once
// The Teams app package users upload (Teams admin center or "Upload a custom app"): the manifest
// with this deployment's bot id and host filled in, plus the two icons, in one zip.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cxos::teams {

// Replaces {{MICROSOFT_APP_ID}} and {{HOST}}; empty and `error` set when a value is unusable
// (the app id must be the bot's GUID, the host a bare host name such as cx.example.com).
std::string fill_manifest(const std::string& manifest_template, const std::string& app_id, const std::string& host,
                          std::string& error);

// A zip archive of `files` (name, bytes), stored without compression: Teams accepts it and it
// needs no library.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& files);

std::uint32_t crc32_of(const std::string& bytes);

} // namespace cxos::teams
