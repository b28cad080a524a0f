// SYNTAX TEST "source.qmlc" "comments"

// A line comment
// <-- comment.line.double-slash.qmlc punctuation.definition.comment.qmlc
//  ^^^^^^^^^^^^^^ comment.line.double-slash.qmlc

qubits 2 // after a statement, with ry(x) 0 and "a string" in it
//       ^^ comment.line.double-slash.qmlc punctuation.definition.comment.qmlc
//                                    ^^^^^^^ comment.line.double-slash.qmlc - support.function.gate.qmlc
//                                                ^^^^^^^^^^ comment.line.double-slash.qmlc - string.quoted.double.qmlc
// <------ keyword.declaration.qmlc

/* A block comment
   over two lines, with param w inside */
// <--- comment.block.qmlc
//               ^^^^^^^ comment.block.qmlc - storage.type.param.qmlc
//                                     ^^ comment.block.qmlc punctuation.definition.comment.end.qmlc

circuit { /* inline */ h 0 }
//        ^^ comment.block.qmlc punctuation.definition.comment.begin.qmlc
//           ^^^^^^ comment.block.qmlc
//                     ^ support.function.gate.qmlc - comment.block.qmlc
