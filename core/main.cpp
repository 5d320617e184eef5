#include "comptoir/cli.hpp"

int main(int argc, char** argv) { return comptoir::run_cli(argc, argv); }
