/* The members of every plugin.h struct, as an X-macro list: the C11 program and the C++20
 * test print and compare their sizes and offsets, so a plugin built in C and a host built in
 * C++ agree on the layout. */
#define COMPTOIR_ABI_STRUCTS(S)                                                               \
    S(comptoir_box) S(comptoir_kind_decl) S(comptoir_field_decl) S(comptoir_letter_decl)     \
    S(comptoir_page_info) S(comptoir_word) S(comptoir_barcode_field) S(comptoir_barcode)     \
    S(comptoir_field) S(comptoir_host) S(comptoir_plugin) S(comptoir_field_spec)            \
    S(comptoir_relation) S(comptoir_alphabet)

#define COMPTOIR_ABI_MEMBERS(M)                                                               \
    M(comptoir_page_info, skew_deg) M(comptoir_page_info, has_text_layer)                    \
    M(comptoir_word, text) M(comptoir_word, confidence) M(comptoir_word, box)                \
    M(comptoir_word, line_id) M(comptoir_barcode, fields) M(comptoir_barcode, field_count)   \
    M(comptoir_field, key) M(comptoir_field, confidence) M(comptoir_field, box)              \
    M(comptoir_field, check) M(comptoir_field, suggestion) M(comptoir_field, source)         \
    M(comptoir_host, abi_major) M(comptoir_host, abi_minor) M(comptoir_host, log)            \
    M(comptoir_host, add_field) M(comptoir_plugin, abi_major) M(comptoir_plugin, id)         \
    M(comptoir_plugin, flags) M(comptoir_plugin, kinds) M(comptoir_plugin, letter_count)     \
    M(comptoir_plugin, init) M(comptoir_plugin, extract)                                     \
    M(comptoir_field, barcode) M(comptoir_field, relation) M(comptoir_field, evidence_label) \
    M(comptoir_field_spec, key) M(comptoir_field_spec, min_length)                           \
    M(comptoir_field_spec, max_length) M(comptoir_field_spec, alphabet)                      \
    M(comptoir_plugin, field_specs) M(comptoir_plugin, field_spec_count)                     \
    M(comptoir_plugin, check_value)
