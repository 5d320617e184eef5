// The spool: the visitors' files on disk, encrypted (spool_crypto.hpp), the one place that
// knows their layout:
//   <data.dir>/spool/case-<case>/document-<document>/input.<png|jpg|tif|pdf>
//                                                   /letter-<letter>.pdf
//                                                   /letter-<letter>.inputs
//                                                   /letter-<letter>.fiche.pdf (the visitor's sheet)
//                                                   /page-<page>-w<width|full>-r<rotation>.png
//                                                    (a page at display size: a cache, made again
//                                                    when missing; owned by its document)
//                                                   /draft (the letter form's answers not yet written)
// A case's folder goes with its case (forget, purge); files no row owns are swept at start.
#pragma once

#include <cstdint>
#include <string>

namespace comptoir {

class Store;

class Spool {
public:
    // <data_dir>/spool, created. Error("store", French) when it cannot be.
    explicit Spool(const std::string& data_dir);
    // The spool folder of a data folder, without creating it.
    static std::string folder_of(const std::string& data_dir);

    const std::string& root() const { return root_; }
    std::string case_dir(int64_t case_id) const;
    // The folder of a document (created).
    std::string document_dir(int64_t case_id, int64_t document_id) const;
    // Where a document's input file goes; `format` is its extension (png, jpg, tif, pdf).
    std::string input_path(int64_t case_id, int64_t document_id, const std::string& format) const;
    std::string letter_path(int64_t case_id, int64_t document_id, int64_t letter_id) const;
    // The draft of a document's letters (the answers typed, not yet written): owned by the
    // document's row, gone with its case. The folder is not created.
    std::string draft_path(int64_t case_id, int64_t document_id) const;
    static constexpr const char* kDraftName = "draft";
    // What a letter was written from (its values and answers), beside its PDF: letter-<id>.inputs.
    // A letter's files are "letter-<id>.pdf" and any "letter-<id>.<x>" or "letter-<id>-<x>".
    static std::string letter_inputs_path(const std::string& letter_pdf_path);
    // The visitor's sheet written with a letter, beside it: owned by the letter's row.
    static std::string sheet_path(const std::string& letter_path);

    // A page of a document at display size (`width` 0: its full size), turned by `rotation`
    // degrees: the renditions' cache.
    std::string rendition_path(int64_t case_id, int64_t document_id, int64_t page, int width, int rotation) const;
    // Every rendition of a document (its input changed: a page added).
    void remove_renditions(int64_t case_id, int64_t document_id) const;
    static bool is_rendition(const std::string& file_name);

    // A case's folder and everything in it. Error("forget_failed", French) when it stays.
    void remove_case(int64_t case_id) const;
    // A document's folder and everything in it (its input, its letters). Error("forget_failed").
    void remove_document(int64_t case_id, int64_t document_id) const;

    // A stop between a row and its file leaves files that no row owns: a case's folder after a
    // purge cut short, a document's folder whose row was never committed, an upload written
    // but never acknowledged, a letter's file without its row, a half-written ".part". All
    // removed, so that no page outlives its case; a letter whose row exists but whose file was
    // never written is removed too (it was never given to anyone). Only what is older than
    // `min_age_seconds`: another instance may be writing a file right now. Never throws.
    void sweep(Store& store, int64_t min_age_seconds) const;

    // "case-12" -> 12, "document-3" -> 3; 0 for a name that is not the spool's.
    static int64_t number_of(const std::string& name, const std::string& prefix);

private:
    std::string root_;
};

}  // namespace comptoir
