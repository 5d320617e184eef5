// Built twice (duplicate_a.so, duplicate_b.so) with the same id "doublon": the host keeps the
// first and refuses the second.
#include <comptoir/plugin.hpp>

namespace {

class Doublon final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "doublon";
        description.partner = "Test";
        description.version = DUPLICATE_VERSION;
        description.kinds = {{"doublon.document", "Document en double"}};
        return description;
    }
    void recognise(comptoir::sdk::Document&) const override {}
    void extract(comptoir::sdk::Document&, std::string_view) const override {}
};

}  // namespace

COMPTOIR_PLUGIN(Doublon)
