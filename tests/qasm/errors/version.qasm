include "mygates.inc";
OPENQASM 4.0;
