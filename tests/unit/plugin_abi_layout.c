/* Compiled as strict C11 (-std=c11 -pedantic -Werror by the test build): plugin.h must be
 * plain C. Prints "name size" for every struct and "struct.member offset" for the members of
 * plugin_abi_layout.h. */
#include <comptoir/plugin.h>

#include <stddef.h>
#include <stdio.h>

#include "plugin_abi_layout.h"

#define PRINT_SIZE(type) printf("%s %zu\n", #type, sizeof(type));
#define PRINT_OFFSET(type, member) printf("%s.%s %zu\n", #type, #member, offsetof(type, member));

int main(void) {
    COMPTOIR_ABI_STRUCTS(PRINT_SIZE)
    COMPTOIR_ABI_MEMBERS(PRINT_OFFSET)
    printf("abi %d.%d\n", COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR);
    return 0;
}
