// comptoir-worker: the child the server decodes uploads in (core/reading/page_source.hpp),
// started by worker::Runner with its limits; it speaks only on fd 3 and exits when the server
// closes it. Not meant to be run by hand.
#include "comptoir/reading/page_source.hpp"

int main() { return comptoir::serve_decoding(); }
