// A C++ plugin whose init throws (a table it needs is missing): refused, and its refusal says
// the exception's message.
#include <comptoir/plugin.hpp>

#include <stdexcept>

namespace {

class InitThrows final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "init_throws";
        description.partner = "Test";
        description.version = "0.0.1";
        description.kinds = {{"init_throws.document", "Document de test"}};
        return description;
    }
    void init() override { throw std::runtime_error("table des tarifs absente"); }
    void recognise(comptoir::sdk::Document&) const override {}
    void extract(comptoir::sdk::Document&, std::string_view) const override {}
};

}  // namespace

COMPTOIR_PLUGIN(InitThrows)
