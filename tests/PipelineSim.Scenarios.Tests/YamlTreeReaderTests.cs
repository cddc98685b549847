using PipelineSim.Scenarios.Problems;
using PipelineSim.Scenarios.Yaml;

namespace PipelineSim.Scenarios.Tests;

public class YamlTreeReaderTests
{
    private static (YamlNode? Root, List<string> Problems) Read(string yaml)
    {
        var problems = new ProblemList("t.yaml");
        var root = YamlTreeReader.Read(yaml, problems);
        return (root, problems.ToList().Select(p => p.ToString()).ToList());
    }

    [Fact]
    public void Nodes_carry_line_and_column()
    {
        var (root, problems) = Read("a: 1\nb:\n  - x\n  - { c: 'q' }\n");
        Assert.Empty(problems);
        var mapping = Assert.IsType<YamlMapping>(root);
        Assert.Equal(new TextPosition(1, 1), mapping.Entries[0].Key.Start);
        Assert.Equal(new TextPosition(1, 4), mapping.Entries[0].Value.Start);
        var list = Assert.IsType<YamlSequence>(mapping.Entries[1].Value);
        Assert.Equal(new TextPosition(3, 5), list.Items[0].Start);
        var inner = Assert.IsType<YamlMapping>(list.Items[1]);
        Assert.Equal(new TextPosition(4, 5), inner.Start);
        var quoted = Assert.IsType<YamlScalar>(inner.Entries[0].Value);
        Assert.Equal(("q", ScalarQuoting.SingleQuoted), (quoted.Value, quoted.Quoting));
        Assert.Equal(new TextPosition(4, 11), quoted.PositionAt(0)); // inside the quotes
    }

    [Fact]
    public void Syntax_error_gives_its_position_and_no_tree()
    {
        var (root, problems) = Read("a: 1\n b: 2\n");
        Assert.Null(root);
        Assert.Equal(["t.yaml:2:3: YAML syntax error: While scanning a plain scalar value, found invalid mapping."], problems);
    }

    [Fact]
    public void Unclosed_flow_sequence_points_at_its_bracket()
    {
        // YamlDotNet's scanner fails here without a position; the reader points at the open bracket instead.
        var (root, problems) = Read("a: 1\nb: [1, 2\nc: 3\n");
        Assert.Null(root);
        Assert.Equal(["t.yaml:2:4: YAML syntax error: this '[' is never closed with ']'"], problems);
    }

    [Fact]
    public void Unterminated_quote_is_a_syntax_error()
    {
        var (_, problems) = Read("a: \"x\n");
        Assert.Equal(["t.yaml:1:4: YAML syntax error: While scanning a quoted scalar, found unexpected end of stream."], problems);
    }

    [Fact]
    public void Duplicate_keys_are_reported_and_the_first_kept()
    {
        var (root, problems) = Read("a: 1\nb: 2\na: 3\n");
        Assert.Equal(["t.yaml:3:1: duplicate key \"a\" (first given at line 1)"], problems);
        var mapping = Assert.IsType<YamlMapping>(root);
        Assert.Equal(["a", "b"], mapping.Entries.Select(e => e.Key.Value));
        Assert.Equal("1", ((YamlScalar)mapping.Entries[0].Value).Value);
    }

    [Fact]
    public void A_key_must_be_a_scalar()
    {
        var (_, problems) = Read("? [1, 2]\n: x\n");
        Assert.Equal(["t.yaml:1:3: a key must be a plain string, not a list"], problems);
    }

    [Fact]
    public void Aliases_resolve_and_merge_keys_apply_with_written_keys_winning()
    {
        var (root, problems) = Read("base: &b { x: 1, y: 2 }\nother:\n  <<: *b\n  y: 3\ncopy: *b\n");
        Assert.Empty(problems);
        var mapping = Assert.IsType<YamlMapping>(root);
        var other = Assert.IsType<YamlMapping>(mapping.Entries[1].Value);
        Assert.Equal(["y=3", "x=1"], other.Entries.Select(e => $"{e.Key.Value}={((YamlScalar)e.Value).Value}"));
        Assert.Same(mapping.Entries[0].Value, mapping.Entries[2].Value);
    }

    [Fact]
    public void Unknown_alias_and_bad_merge_are_reported()
    {
        var (_, problems) = Read("a: *nope\nb:\n  <<: 5\n");
        Assert.Equal(
            ["t.yaml:1:4: unknown alias *nope (no anchor &nope before it)", "t.yaml:3:7: a merge (<<) takes a mapping or a list of mappings, not \"5\""],
            problems);
    }

    [Fact]
    public void Only_one_document()
    {
        var (_, problems) = Read("a: 1\n---\nb: 2\n");
        Assert.Equal(["t.yaml:2:1: a scenario file holds one YAML document; a second one starts here"], problems);
    }

    [Fact]
    public void Empty_stream_has_no_root()
    {
        var (root, problems) = Read("# only a comment\n");
        Assert.Null(root);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("a:", true)]
    [InlineData("a: ~", true)]
    [InlineData("a: null", true)]
    [InlineData("a: ''", false)]
    [InlineData("a: 'null'", false)]
    public void Null_is_plain_nothing_tilde_or_null(string yaml, bool isNull)
    {
        var (root, _) = Read(yaml);
        var value = Assert.IsType<YamlScalar>(Assert.IsType<YamlMapping>(root).Entries[0].Value);
        Assert.Equal(isNull, value.IsNull);
    }
}
