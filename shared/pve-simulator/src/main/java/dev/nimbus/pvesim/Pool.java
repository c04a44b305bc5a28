package dev.nimbus.pvesim;

import java.util.Set;
import java.util.TreeSet;

/** A resource pool; ids may be nested ({@code prod/web}) from PVE 8.1. */
final class Pool {
  final String id;
  String comment;
  final Set<Integer> vmids = new TreeSet<>();
  final Set<String> storages = new TreeSet<>();

  Pool(String id, String comment) {
    this.id = id;
    this.comment = comment;
  }
}
