/*
 * cmd_table.c: every console command, in the order "help" lists them.
 *
 * The menus come in VDE 2's order: ds, the core commands, debug, hash,
 * fstp, port, vlan (VDE 2's "plugin" menu has no commands here), then
 * this switch's capture, mirror and vxlan menus.  A menu
 * header (an entry without a handler) comes first, then its commands;
 * port/setvlan, from cmd_vlan.c, closes the port menu.  Lookup
 * (cmd_parse) takes the first entry whose path is the command's first
 * word, so a path appears once: cmdtab_test checks that, and the order.
 * Each entry is defined next to its handler, in the cmd_*.c file of its
 * menu.  The VLAN and spanning tree parts are always built in, so they
 * have their commands here too.
 */
#include "config.h"

#include <sys/types.h>

#include "switch.h"

extern const struct cmd	cmd_ds_entry;
extern const struct cmd	cmd_ds_showinfo_entry;
extern const struct cmd	cmd_help_entry;
extern const struct cmd	cmd_logout_entry;
extern const struct cmd	cmd_shutdown_entry;
extern const struct cmd	cmd_showinfo_entry;
extern const struct cmd	cmd_load_entry;
extern const struct cmd	cmd_debug_entry;
extern const struct cmd	cmd_debug_list_entry;
extern const struct cmd	cmd_debug_add_entry;
extern const struct cmd	cmd_debug_del_entry;
extern const struct cmd	cmd_hash_entry;
extern const struct cmd	cmd_hash_showinfo_entry;
extern const struct cmd	cmd_hash_setsize_entry;
extern const struct cmd	cmd_hash_setgcint_entry;
extern const struct cmd	cmd_hash_setexpire_entry;
extern const struct cmd	cmd_hash_setminper_entry;
extern const struct cmd	cmd_hash_print_entry;
extern const struct cmd	cmd_hash_find_entry;
extern const struct cmd	cmd_fstp_entry;
extern const struct cmd	cmd_fstp_showinfo_entry;
extern const struct cmd	cmd_fstp_setfstp_entry;
extern const struct cmd	cmd_fstp_setedge_entry;
extern const struct cmd	cmd_fstp_bonus_entry;
extern const struct cmd	cmd_fstp_print_entry;
extern const struct cmd	cmd_fstp_setpriority_entry;
extern const struct cmd	cmd_fstp_setcost_entry;
extern const struct cmd	cmd_fstp_setportprio_entry;
extern const struct cmd	cmd_fstp_settimers_entry;
extern const struct cmd	cmd_fstp_mcheck_entry;
extern const struct cmd	cmd_port_entry;
extern const struct cmd	cmd_port_showinfo_entry;
extern const struct cmd	cmd_port_setnumports_entry;
extern const struct cmd	cmd_port_sethub_entry;
extern const struct cmd	cmd_port_createauto_entry;
extern const struct cmd	cmd_port_create_entry;
extern const struct cmd	cmd_port_remove_entry;
extern const struct cmd	cmd_port_allocatable_entry;
extern const struct cmd	cmd_port_setuser_entry;
extern const struct cmd	cmd_port_setgroup_entry;
extern const struct cmd	cmd_port_epclose_entry;
extern const struct cmd	cmd_port_resetcounter_entry;
extern const struct cmd	cmd_port_print_entry;
extern const struct cmd	cmd_port_allprint_entry;
extern const struct cmd	cmd_port_setvlan_entry;
extern const struct cmd	cmd_vlan_entry;
extern const struct cmd	cmd_vlan_create_entry;
extern const struct cmd	cmd_vlan_remove_entry;
extern const struct cmd	cmd_vlan_addport_entry;
extern const struct cmd	cmd_vlan_delport_entry;
extern const struct cmd	cmd_vlan_print_entry;
extern const struct cmd	cmd_vlan_allprint_entry;
extern const struct cmd	cmd_vlan_portinfo_entry;
extern const struct cmd	cmd_capture_entry;
extern const struct cmd	cmd_capture_start_entry;
extern const struct cmd	cmd_capture_stop_entry;
extern const struct cmd	cmd_capture_print_entry;
extern const struct cmd	cmd_mirror_entry;
extern const struct cmd	cmd_mirror_add_entry;
extern const struct cmd	cmd_mirror_del_entry;
extern const struct cmd	cmd_mirror_addvlan_entry;
extern const struct cmd	cmd_mirror_delvlan_entry;
extern const struct cmd	cmd_mirror_print_entry;
extern const struct cmd	cmd_vxlan_entry;
extern const struct cmd	cmd_vxlan_create_entry;
extern const struct cmd	cmd_vxlan_remove_entry;
extern const struct cmd	cmd_vxlan_print_entry;
extern const struct cmd	cmd_vxlan_addremote_entry;
extern const struct cmd	cmd_vxlan_delremote_entry;
extern const struct cmd	cmd_vxlan_fdb_entry;
extern const struct cmd	cmd_vxlan_addfdb_entry;
extern const struct cmd	cmd_vxlan_delfdb_entry;
extern const struct cmd	cmd_vxlan_set_entry;
extern const struct cmd	cmd_vxlan_resetcounter_entry;

const struct cmd *const cmd_table[] = {
	&cmd_ds_entry,
	&cmd_ds_showinfo_entry,
	&cmd_help_entry,
	&cmd_logout_entry,
	&cmd_shutdown_entry,
	&cmd_showinfo_entry,
	&cmd_load_entry,

	&cmd_debug_entry,
	&cmd_debug_list_entry,
	&cmd_debug_add_entry,
	&cmd_debug_del_entry,

	&cmd_hash_entry,
	&cmd_hash_showinfo_entry,
	&cmd_hash_setsize_entry,
	&cmd_hash_setgcint_entry,
	&cmd_hash_setexpire_entry,
	&cmd_hash_setminper_entry,
	&cmd_hash_print_entry,
	&cmd_hash_find_entry,

	&cmd_fstp_entry,
	&cmd_fstp_showinfo_entry,
	&cmd_fstp_setfstp_entry,
	&cmd_fstp_setedge_entry,
	&cmd_fstp_bonus_entry,
	&cmd_fstp_print_entry,
	&cmd_fstp_setpriority_entry,
	&cmd_fstp_setcost_entry,
	&cmd_fstp_setportprio_entry,
	&cmd_fstp_settimers_entry,
	&cmd_fstp_mcheck_entry,

	&cmd_port_entry,
	&cmd_port_showinfo_entry,
	&cmd_port_setnumports_entry,
	&cmd_port_sethub_entry,
	&cmd_port_createauto_entry,
	&cmd_port_create_entry,
	&cmd_port_remove_entry,
	&cmd_port_allocatable_entry,
	&cmd_port_setuser_entry,
	&cmd_port_setgroup_entry,
	&cmd_port_epclose_entry,
	&cmd_port_resetcounter_entry,
	&cmd_port_print_entry,
	&cmd_port_allprint_entry,
	&cmd_port_setvlan_entry,

	&cmd_vlan_entry,
	&cmd_vlan_create_entry,
	&cmd_vlan_remove_entry,
	&cmd_vlan_addport_entry,
	&cmd_vlan_delport_entry,
	&cmd_vlan_print_entry,
	&cmd_vlan_allprint_entry,
	&cmd_vlan_portinfo_entry,

	&cmd_capture_entry,
	&cmd_capture_start_entry,
	&cmd_capture_stop_entry,
	&cmd_capture_print_entry,

	&cmd_mirror_entry,
	&cmd_mirror_add_entry,
	&cmd_mirror_del_entry,
	&cmd_mirror_addvlan_entry,
	&cmd_mirror_delvlan_entry,
	&cmd_mirror_print_entry,
	&cmd_vxlan_entry,
	&cmd_vxlan_create_entry,
	&cmd_vxlan_remove_entry,
	&cmd_vxlan_print_entry,
	&cmd_vxlan_addremote_entry,
	&cmd_vxlan_delremote_entry,
	&cmd_vxlan_fdb_entry,
	&cmd_vxlan_addfdb_entry,
	&cmd_vxlan_delfdb_entry,
	&cmd_vxlan_set_entry,
	&cmd_vxlan_resetcounter_entry,

	NULL
};
