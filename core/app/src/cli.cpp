// The command line shared by `comptoir` and comptoir-full: the commands, their options and
// help, the configuration loaded, logging set up, errors turned into exit statuses.
#include "commands.hpp"

#include "comptoir/base/version.hpp"

#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionProcessor.h>

#include <fstream>
#include <iostream>

namespace comptoir {
namespace cli {

// The one place where an error becomes an exit status: 2 for a usage or configuration error
// (a bad argument, an invalid value), 1 for anything that failed on the way.
int exit_status(const Error& error) {
    if (dynamic_cast<const ConfigError*>(&error) || dynamic_cast<const BadRequestError*>(&error)) return kExitUsage;
    return kExitInputFailed;
}

Poco::Logger& logger() { return Poco::Logger::get("comptoir"); }

// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
// over it, so that an interrupted command never leaves half a PDF or half an image.
bool write_whole_file(const std::string& path, const std::string& bytes) {
    const std::string temporary = path + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << bytes;
        out.flush();
        if (bytes.empty() || !out) {
            std::remove(temporary.c_str());
            return false;
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        return false;
    }
    return true;
}

}  // namespace cli

namespace {

using namespace cli;

struct Command {
    std::string name;
    std::string synopsis;
    std::string summary;
    std::function<void(Poco::Util::OptionSet&)> define_options;
    size_t min_args = 0;
    size_t max_args = 0;
};

void setup_logging(const std::string& level) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S %p %s : %t"));
    formatter->setProperty("times", "local");
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel(std::cerr));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, console));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old level: align them.
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

Poco::Util::Option flag(const std::string& name, const std::string& short_name, const std::string& description) {
    return Poco::Util::Option(name, short_name, description).required(false).repeatable(false);
}

Poco::Util::Option valued(const std::string& name, const std::string& short_name, const std::string& description,
                          const std::string& argument) {
    return Poco::Util::Option(name, short_name, description).required(false).repeatable(false).argument(argument);
}

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"serve", "comptoir serve [--config FICHIER] [--port PORT]", "démarre le serveur web du comptoir",
         [](Poco::Util::OptionSet& options) {
             options.addOption(valued("port", "", "port HTTP, à la place de server.port", "PORT"));
         },
         0, 0},
        {"admin", "comptoir admin create-user|new-key|rekey|audit|certificates …",
         "administre le site : comptes (mot de passe lu sur l'entrée standard), clé de chiffrement, journal d'audit, "
         "certificats 2D-Doc (certificates import FICHIER|DOSSIER, certificates list)",
         [](Poco::Util::OptionSet& options) {
             options.addOption(valued("login", "l", "identifiant du compte", "IDENTIFIANT"));
             options.addOption(valued("role", "r", "rôle : mediator (par défaut) ou admin", "ROLE"));
             options.addOption(valued("case", "", "audit : les lignes d'un seul dossier", "NUMÉRO"));
         },
         1, 3},
        {"scanners", "comptoir scanners [--config FICHIER]", "liste les scanners et les postes de numérisation",
         nullptr, 0, 0},
        {"scan", "comptoir scan --station ID [-o FICHIER] [--preview]", "numérise une page sur un poste",
         [](Poco::Util::OptionSet& options) {
             options.addOption(valued("station", "s", "poste de numérisation", "ID"));
             options.addOption(valued("output", "o", "fichier PNG à écrire", "FICHIER"));
             options.addOption(flag("preview", "", "aperçu en basse résolution"));
         },
         0, 0},
        {"process", "comptoir process [--json] [--plugin ID] [--ocr-out DOSSIER] FICHIER...",
         "lit des documents (PNG, JPEG, TIFF, PDF ou résultat OCR .ocr.json) et en extrait les champs",
         [](Poco::Util::OptionSet& options) {
             options.addOption(flag("json", "j", "un objet JSON par document, un par ligne"));
             options.addOption(valued("plugin", "p", "n'essayer que ce greffon", "ID"));
             options.addOption(valued("ocr-out", "", "enregistre la lecture de chaque document (NOM.ocr.json) dans ce dossier", "DOSSIER"));
         },
         1, SIZE_MAX},
        {"letter", "comptoir letter --plugin ID --letter ID_COURRIER --data FICHIER.json -o SORTIE.pdf [--sheet FICHE.pdf]",
         "rédige un courrier PDF",
         [](Poco::Util::OptionSet& options) {
             options.addOption(valued("plugin", "p", "greffon", "ID"));
             options.addOption(valued("letter", "l", "identifiant du courrier", "ID_COURRIER"));
             options.addOption(valued("data", "d", "champs et réponses en JSON", "FICHIER"));
             options.addOption(valued("output", "o", "PDF à écrire", "SORTIE"));
             options.addOption(valued("sheet", "", "écrit aussi la fiche pour la personne (le type du document : \"kind\" "
                                                   "dans les données)", "FICHE.pdf"));
         },
         0, 0},
        {"plugins", "comptoir plugins [--json] [--config FICHIER]",
         "liste les greffons chargés et refusés (statut 1 si un greffon est refusé)",
         [](Poco::Util::OptionSet& options) { options.addOption(flag("json", "j", "sortie JSON")); }, 0,
         0},
        {"plugin-check", "comptoir plugin-check DOSSIER [--plugin ID] [--min TAUX] [--json]",
         "mesure la justesse des greffons sur un dossier d'exemples",
         [](Poco::Util::OptionSet& options) {
             options.addOption(valued("plugin", "p", "n'essayer que ce greffon", "ID"));
             options.addOption(flag("json", "j", "le bilan en JSON, pour un programme"));
             options.addOption(valued("min", "m", "taux minimal (0 à 1) de documents reconnus et de champs justes ; en dessous, statut 1", "TAUX"));
         },
         1, 1},
        {"config", "comptoir config [--config FICHIER]",
         "affiche la configuration effective (valeurs par défaut comprises)", nullptr, 0, 0},
    };
    return list;
}

void print_usage(std::ostream& out) {
    out << "Comptoir " << version() << " — le comptoir de documents des PIMMS\n\n"
        << "usage : comptoir <commande> [options] [arguments]\n\ncommandes :\n";
    for (const auto& command : commands()) {
        out << "  " << command.name << std::string(command.name.size() < 14 ? 14 - command.name.size() : 1, ' ')
            << command.summary << "\n";
    }
    out << "\nOptions communes : --config FICHIER (par défaut ./comptoir.properties s'il existe), --help.\n"
        << "« comptoir <commande> --help » détaille une commande.\n"
        << "Statut de sortie : 0 tout s'est bien passé, 1 une entrée a échoué (les autres ont été traitées),\n"
        << "2 erreur d'utilisation ou de configuration.\n";
}

Poco::Util::OptionSet options_of(const Command& command) {
    Poco::Util::OptionSet options;
    options.addOption(valued("config", "c", "fichier de configuration", "FICHIER"));
    options.addOption(flag("help", "h", "affiche cette aide"));
    if (command.define_options) command.define_options(options);
    return options;
}

void print_command_help(const Command& command, std::ostream& out) {
    Poco::Util::OptionSet options = options_of(command);
    Poco::Util::HelpFormatter formatter(options);
    formatter.setUnixStyle(true);
    formatter.setCommand("comptoir " + command.name);
    formatter.setUsage(command.synopsis.substr(command.synopsis.find(' ', 9) == std::string::npos
                                                   ? command.synopsis.size()
                                                   : command.synopsis.find(' ', 9) + 1));
    formatter.setHeader(command.summary);
    formatter.setFooter("Statut de sortie : 0 réussite, 1 une entrée a échoué, 2 erreur d'utilisation ou de configuration.");
    formatter.format(out);
}

// The Poco application: owns the process-wide setup (logging) and runs one command.
class ComptoirApplication : public Poco::Util::Application {
public:
    ComptoirApplication(std::vector<std::string> args, const Runners& runners) : args_(std::move(args)), runners_(runners) {
        // Options are parsed per command below, not by Poco's global option processing.
        setUnixOptions(true);
    }

    int exit_code() const { return exit_code_; }

protected:
    int main(const std::vector<std::string>&) override {
        exit_code_ = dispatch();
        return exit_code_;
    }

private:
    int dispatch() {
        if (args_.empty()) {
            print_usage(std::cerr);
            return kExitUsage;
        }
        const std::string& name = args_.front();
        if (name == "--help" || name == "-h" || name == "help") {
            print_usage(std::cout);
            return kExitOk;
        }
        if (name == "--version" || name == "-V") {
            std::cout << "comptoir " << version() << "\n";
            return kExitOk;
        }
        const Command* command = nullptr;
        for (const auto& candidate : commands()) {
            if (candidate.name == name) command = &candidate;
        }
        if (!command) {
            std::cerr << "comptoir : commande inconnue « " << name << " »\n\n";
            print_usage(std::cerr);
            return kExitUsage;
        }

        Invocation invocation;
        Poco::Util::OptionSet options = options_of(*command);
        try {
            Poco::Util::OptionProcessor processor(options);
            processor.setUnixStyle(true);
            bool only_positional = false;
            for (size_t i = 1; i < args_.size(); ++i) {
                std::string option_name;
                std::string value;
                if (!only_positional && args_[i] == "--") {
                    only_positional = true;
                } else if (!only_positional && processor.process(args_[i], option_name, value)) {
                    // "--config FILE": Poco defers the option and names it with its argument.
                    if (!option_name.empty()) invocation.options[option_name] = value;
                } else {
                    invocation.args.push_back(args_[i]);
                }
            }
            processor.checkRequired();
        } catch (const Poco::Util::OptionException& error) {
            std::cerr << "comptoir " << command->name << " : option invalide : " << error.message() << "\n"
                      << "usage : " << command->synopsis << "\n";
            return kExitUsage;
        }
        if (invocation.has("help")) {
            print_command_help(*command, std::cout);
            return kExitOk;
        }
        if (invocation.args.size() < command->min_args || invocation.args.size() > command->max_args) {
            std::cerr << "comptoir " << command->name << " : "
                      << (invocation.args.size() < command->min_args ? "argument manquant" : "argument en trop")
                      << "\nusage : " << command->synopsis << "\n";
            return kExitUsage;
        }

        try {
            if (invocation.has("config")) {
                invocation.config = Config::load(invocation.options["config"]);
            } else if (Poco::File("comptoir.properties").exists()) {
                invocation.config = Config::load("comptoir.properties");
            }
        } catch (const ConfigError& error) {
            std::cerr << "comptoir : configuration invalide :\n" << error.what() << "\n";
            return kExitUsage;
        }
        // The server logs what log.level says; a one-shot command only warnings and errors
        // (unless debugging), so its own output stays readable.
        const std::string level = invocation.config.log_level();
        setup_logging(command->name == "serve" || level == "debug" ? level : "warning");
        // What works but should be mended (an office without a postcode, a former key).
        for (const auto& warning : invocation.config.warnings()) logger().warning(invocation.config.file() + " : " + warning);
        const auto runner = runners_.find(command->name);
        if (runner == runners_.end()) {  // main.cpp hands every other command to comptoir-full
            std::cerr << "comptoir " << command->name << " : commande indisponible dans ce programme\n";
            return kExitUsage;
        }
        try {
            return runner->second(invocation);
        } catch (const Error& error) {
            const int status = exit_status(error);
            std::cerr << "comptoir " << command->name << " : " << (status == kExitUsage ? "" : "erreur : ") << error.what()
                      << "\n";
            return status;
        } catch (const std::exception& error) {
            std::cerr << "comptoir " << command->name << " : erreur : " << error.what() << "\n";
            return kExitInputFailed;
        }
    }

    std::vector<std::string> args_;
    const Runners& runners_;
    int exit_code_ = kExitOk;
};

}  // namespace

namespace cli {

bool is_command(const std::string& name) {
    for (const auto& command : commands()) {
        if (command.name == name) return true;
    }
    return false;
}

int run_commands(int argc, char** argv, const Runners& runners) {
    std::vector<std::string> args(argv + 1, argv + argc);
    ComptoirApplication application(std::move(args), runners);
    try {
        // Only the program name reaches Poco's option processing; commands parse their own.
        char* program[] = {argv[0], nullptr};
        application.init(1, program);
    } catch (const Poco::Exception& error) {
        std::cerr << "comptoir : " << error.displayText() << "\n";
        return kExitUsage;
    }
    application.run();
    return application.exit_code();
}

}  // namespace cli
}  // namespace comptoir
