/* no_entry.c - a shared object that is not a parley plug-in: it defines no
 * parley_agent_plugin. */
__attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
