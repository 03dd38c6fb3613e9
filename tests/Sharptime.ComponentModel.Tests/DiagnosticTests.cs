using Sharptime.ComponentModel.Tests.Support;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.ComponentModel.Tests;

public sealed class DiagnosticTests
{
    private static void Check(string text, params string[] expected) => Assert.Equal(expected, TestWit.Errors(text));

    [Fact] public void MissingSemicolonSaysWhatWasExpectedAndFound() =>
        Check("package a:b;\ninterface i {\n  f: func()\n}", "4:1: expected `;`, found `}`");

    [Fact] public void UnterminatedBlockCommentPointsAtItsStart() =>
        Check("package a:b;\n/* open", "2:1: unterminated block comment");

    [Fact] public void UnexpectedCharacterIsNamed() =>
        Check("package a:b;\ninterface i { $ }", "2:15: unexpected character `$`");

    [Fact] public void NonAsciiCharacterIsShownAsCodePoint() =>
        Check("package a:b;\ninterface é {}", "2:11: unexpected character U+00E9");

    [Fact] public void MixedCaseWordIsRejected() =>
        Check("package a:b;\ninterface fooBar {}", "2:11: identifier `fooBar` mixes upper and lower case in the word `fooBar`");

    [Fact] public void TrailingDashIsAnEmptyWord() =>
        Check("package a:b;\ninterface x- {}", "2:11: identifier `x-` has an empty word");

    [Fact] public void NameStartingWithADigitIsNotAnIdentifier() =>
        Check("package a:b;\ninterface 1x {}", "2:11: expected an interface name, found `1`");

    [Fact] public void KeywordAsNameSuggestsThePercentEscape() =>
        Check("package a:b;\ninterface i { list: func(); }", "2:15: expected a function name, found keyword `list` (write `%list` to use it as a name)");

    [Fact] public void VersionNeedsThreeNumbers() =>
        Check("package a:b@1.0;", "1:13: invalid semantic version `1.0`: expected MAJOR.MINOR.PATCH");

    [Fact] public void VersionNumbersHaveNoLeadingZeros() =>
        Check("package a:b@01.0.0;", "1:13: invalid semantic version `01.0.0`");

    [Fact] public void UnknownAttributeListsTheKnownOnes() =>
        Check("package a:b;\n@foo(x = 1)\ninterface i {}", "2:2: unknown attribute `@foo`: expected `@since`, `@unstable` or `@deprecated`");

    [Fact] public void DuplicateAttributeIsRejected() =>
        Check("package a:b;\n@since(version = 1.0.0)\n@since(version = 1.0.0)\ninterface i {}", "3:2: duplicate `@since` attribute");

    [Fact] public void SinceAndUnstableTogetherAreRejected() =>
        Check("package a:b;\n@since(version = 1.0.0)\n@unstable(feature = x)\ninterface i {}", "4:1: an item cannot be both `@since` and `@unstable`");

    [Fact] public void AttributeNeedsItsKey() =>
        Check("package a:b;\n@since(1.0.0)\ninterface i {}", "2:8: expected `version`, found `1.0.0`");

    [Fact] public void PackageDeclarationMustComeFirst() =>
        Check("interface i {}\npackage a:b;", "2:1: the `package` declaration must come first in a file");

    [Fact] public void FileWithoutPackageDeclarationIsRejected() =>
        Check("interface i {}", "1:1: no `package` declaration: expected `package namespace:name;` at the start of a file of this package");

    [Fact] public void EndOfFileInsideABodyExpectsTheClosingBrace() =>
        Check("package a:b;\ninterface i {", "2:14: expected `}`, found end of file");

    [Fact] public void EmptyRecordExpectsAField() =>
        Check("package a:b;\ninterface i { record r {} }", "2:25: expected a field name, found `}`");

    [Fact] public void NamedResultsAreNotSupported() =>
        Check("package a:b;\ninterface i { f: func() -> (a: u8); }", "2:28: named results are not supported: expected a type after `->`, found `(`");

    [Fact] public void FixedSizeListOfLengthZeroIsRejected() =>
        Check("package a:b;\ninterface i { type t = list<u8, 0>; }", "2:33: a fixed-size list must have a length of at least 1");

    [Fact] public void DeeplyNestedTypesAreRejectedNotOverflowed() =>
        Assert.Contains("types are nested more than 100 levels deep",
            Assert.Single(TestWit.Errors("package a:b;\ninterface i { type t = " + string.Concat(Enumerable.Repeat("list<", 150)) + "u8" + new string('>', 150) + "; }")));

    [Fact] public void UndefinedTypeIsReportedWhereItIsUsed() =>
        Check("package a:b;\ninterface i {\n  f: func(x: nope);\n}", "3:14: type `nope` not defined");

    [Fact] public void SeveralUndefinedTypesAreReportedTogether() =>
        Check("package a:b;\ninterface i {\n  f: func(x: one);\n  g: func() -> two;\n}",
            "3:14: type `one` not defined", "4:16: type `two` not defined");

    [Fact] public void FunctionUsedAsATypeIsNotAType() =>
        Check("package a:b;\ninterface i {\n  f: func();\n  g: func(x: f);\n}", "4:14: `f` is not a type");

    [Fact] public void DuplicateTypeInInterface() =>
        Check("package a:b;\ninterface i {\n  type t = u8;\n  type t = u16;\n}", "4:3: `t` is defined more than once in interface `i`");

    [Fact] public void DuplicateRecordField() =>
        Check("package a:b;\ninterface i {\n  record r { a: u8, a: u8 }\n}", "3:21: field `a` is defined more than once in `r`");

    [Fact] public void DuplicateVariantCase() =>
        Check("package a:b;\ninterface i {\n  variant v { a, a(u8) }\n}", "3:18: case `a` is defined more than once in `v`");

    [Fact] public void DuplicateFlag() =>
        Check("package a:b;\ninterface i {\n  flags f { a, a }\n}", "3:16: flag `a` is defined more than once in `f`");

    [Fact] public void DuplicateParameter() =>
        Check("package a:b;\ninterface i {\n  f: func(a: u8, a: u8);\n}", "3:18: parameter `a` is defined more than once in `f`");

    [Fact] public void DuplicateInterfaceInPackage() =>
        Check("package a:b;\ninterface i {}\ninterface i {}", "3:1: `i` is defined more than once in package `a:b`");

    [Fact] public void WorldAndInterfaceShareOneNamespace() =>
        Check("package a:b;\ninterface i {}\nworld i {}", "3:1: `i` is defined more than once in package `a:b`");

    [Fact] public void DuplicatePackage() =>
        Check("package a:x { interface i {} }\npackage a:x { interface j {} }", "2:9: package `a:x` is defined more than once (also at t.wit:1:9)");

    [Fact] public void HandleToANonResourceIsRejected() =>
        Check("package a:b;\ninterface i {\n  type t = u8;\n  f: func(x: own<t>);\n}", "4:14: `t` is not a resource type");

    [Fact] public void BorrowedHandlesCannotBeReturned() =>
        Check("package a:b;\ninterface i {\n  resource r;\n  f: func() -> borrow<r>;\n}", "4:16: function `f` cannot return a borrowed handle");

    [Fact] public void ResourceWithTwoConstructors() =>
        Check("package a:b;\ninterface i {\n  resource r {\n    constructor();\n    constructor(x: u8);\n  }\n}", "5:5: resource `r` has more than one constructor");

    [Fact] public void ConstructorMustReturnItsResource() =>
        Check("package a:b;\ninterface i {\n  resource r {\n    constructor() -> u8;\n  }\n}", "4:22: the constructor of `r` must return `r` or `result<r, E>`");

    [Fact] public void TooManyFlags() =>
        Check("package a:b;\ninterface i { flags f { " + string.Join(", ", Enumerable.Range(0, 33).Select(i => "g" + i)) + " } }",
            "2:175: flags `f` has 33 flags; at most 32 are allowed");

    [Fact] public void RecursiveTypeIsRejected() =>
        Check("package a:b;\ninterface i {\n  record r { next: option<r> }\n}", "3:3: type `r` refers to itself");

    [Fact] public void InterfaceUseCycleIsRejected() =>
        Check("package a:b;\ninterface x { use y.{t}; type u = u8; }\ninterface y { use x.{u}; type t = u8; }", "3:19: interface dependency cycle: x -> y -> x");

    [Fact] public void PackageDependencyCycleIsRejected() =>
        Check("package a:x { interface i { use a:y/j.{t}; type u = u8; } }\npackage a:y { interface j { use a:x/i.{u}; type t = u8; } }",
            "2:33: package dependency cycle: a:x -> a:y -> a:x");

    [Fact] public void UnknownPackage() =>
        Check("package a:b;\ninterface i { use c:d/e.{t}; }", "2:19: package `c:d` not found");

    [Fact] public void AmbiguousUnversionedPackage() =>
        Check("package a:l@1.0.0 { interface i {} }\npackage a:l@2.0.0 { interface i {} }\npackage a:m { world w { import a:l/i; } }",
            "3:32: package `a:l` is ambiguous: versions 1.0.0, 2.0.0 are present; add `@version`");

    [Fact] public void UnknownInterface() =>
        Check("package a:b;\nworld w { import nope; }", "2:18: interface `nope` not found in package `a:b`");

    [Fact] public void UnknownTypeInUsedInterface() =>
        Check("package a:b;\ninterface x {}\ninterface y { use x.{t}; }", "3:22: type `t` not found in interface `x`");

    [Fact] public void UnknownIncludedWorld() =>
        Check("package a:b;\nworld w { include nope; }", "2:19: world `nope` not found in package `a:b`");

    [Fact] public void IncludeCycleIsRejected() =>
        Check("package a:b;\nworld w { include v; }\nworld v { include w; }", "3:19: world `w` includes itself");

    [Fact] public void DuplicateWorldImport() =>
        Check("package a:b;\nworld w {\n  import f: func();\n  import f: func();\n}", "4:10: import `f` is defined more than once in world `w`");

    [Fact] public void IncludeConflictingWithAnImport() =>
        Check("package a:b;\nworld v { import f: func(); }\nworld w {\n  import f: func();\n  include v;\n}",
            "5:11: import `f` from world `v` conflicts with an existing import of world `w`");

    [Fact] public void IncludeRenameOfAnUnknownName() =>
        Check("package a:b;\nworld v { import f: func(); }\nworld w { include v with { g as h } }", "3:28: `g` is not an import or export of world `v`");

    [Fact]
    public void MismatchedPackageNamesAcrossFilesOfOnePackage()
    {
        var resolver = new WitResolver();
        resolver.AddPackage([new WitSource("a.wit", "package a:b;"), new WitSource("b.wit", "package a:c;")]);
        var e = Assert.Throws<WitException>(() => resolver.Resolve());
        Assert.Equal("b.wit:1:9: package `a:c` does not match package `a:b` declared in a.wit", Assert.Single(e.Diagnostics).ToString());
    }

    [Fact]
    public void SyntaxErrorsOfSeveralFilesAreReportedTogether()
    {
        var resolver = new WitResolver();
        resolver.AddPackage([new WitSource("a.wit", "package a:b;\ninterface i {"), new WitSource("b.wit", "interface j { $ }")]);
        var e = Assert.Throws<WitException>(() => resolver.Resolve());
        Assert.Equal(["a.wit", "b.wit"], e.Diagnostics.Select(d => d.File));
    }

    [Fact]
    public void ExceptionMessageHasOneLinePerDiagnostic()
    {
        var e = Assert.Throws<WitException>(() => TestWit.Resolve("package a:b;\ninterface i {\n  f: func(x: one);\n  g: func() -> two;\n}"));
        Assert.Equal("t.wit:3:14: type `one` not defined\nt.wit:4:16: type `two` not defined", e.Message);
    }

    [Fact] public void EmptyTupleIsRejected() =>
        Check("package a:b;\ninterface i { type t = tuple<>; }", "2:30: expected a type, found `>`");

    [Fact] public void MapKeyMustBeAPrimitiveOtherThanAFloat() =>
        Check("package a:b;\ninterface i { type t = map<f32, u8>; }", "2:28: a map key must be an integer, `bool`, `char` or `string`");

    [Fact] public void ControlCharactersAreRejectedEvenInComments() =>
        Check("package a:b;\n// bell \u0007 here", "2:9: character U+0007 is not allowed in WIT text");

    [Fact] public void BidirectionalOverridesAreRejectedInComments() =>
        Check("package a:b;\n/* \u202E */", "2:4: character U+202E is not allowed in WIT text");

    [Fact] public void ImportingAPackageInsteadOfAnInterfaceIsRejected() =>
        Check("package a:b;\nworld w { import a:b; }", "2:21: expected `/`, found `;`");

    [Fact] public void FeatureGatesNeedAVersionedPackage() =>
        Check("package a:b;\ninterface i {\n  @since(version = 1.0.0)\n  f: func();\n}", "3:3: package `a:b` uses feature gates, so it must have a version (`package a:b@x.y.z;`)");

    [Fact] public void DeprecatedMustBePairedWithSince() =>
        Check("package a:b@1.0.0;\n@deprecated(version = 1.0.0)\ninterface i {}", "3:1: `@deprecated` must be paired with `@since`");

    [Fact] public void DuplicateTopLevelUse() =>
        Check("package a:b;\ninterface i {}\ninterface j {}\nuse i as x;\nuse j as x;", "5:1: `x` is defined more than once by a top-level `use` in t.wit");

    [Fact]
    public void LongChainsOfDefinitionsAreReportedNotOverflowed()
    {
        var text = "package a:b;\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"interface i{i} {{ use i{i + 1}.{{t}}; }}\n")) + "interface i3000 { type t = u8; }";
        Assert.Contains("interfaces depend on each other more than 500 levels deep", string.Join("\n", TestWit.Errors(text)));
    }

    [Fact] public void BorrowedHandlesCannotBeReturnedInsideARecord() =>
        Check("package a:b;\ninterface i {\n  resource r;\n  record holder { h: borrow<r> }\n  f: func() -> option<holder>;\n}",
            "5:16: function `f` cannot return a borrowed handle (its result type contains a `borrow`)");
}
