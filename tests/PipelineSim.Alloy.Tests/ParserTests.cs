using PipelineSim.Alloy.Config;
using PipelineSim.Alloy.Evaluation;
using PipelineSim.Alloy.Syntax;

namespace PipelineSim.Alloy.Tests;

/// <summary>Alloy's syntax rules, each with the value or the error (at file:line:col) Alloy gives.</summary>
public class ParserTests
{
    private static AlloyValue Eval(string expression, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (parsed, errors) = Parser.ParseExpression("e", expression);
        Assert.Empty(errors);
        return new Evaluator(new Nothing(), environment ?? new Dictionary<string, string>()).Evaluate(parsed!);
    }

    private static string OnlyError(string text)
    {
        var file = Parser.ParseFile("c.alloy", text);
        return Assert.Single(file.Errors).ToString();
    }

    private sealed class Nothing : IScope
    {
        public (AlloyValue Value, int Used)? Resolve(IReadOnlyList<string> path, SourcePosition at) => null;
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)] // ^ is right-associative
    [InlineData("-2 ^ 2", 4)] // unary minus binds tighter than ^ (PowExpr = UnaryExpr [ "^" PowExpr ])
    [InlineData("10 - 4 - 3", 3)] // - is left-associative
    [InlineData("7 % 4 * 2", 6)]
    [InlineData("1e+2", 100)]
    [InlineData("15.0 / 2", 7.5)]
    public void Arithmetic_follows_Alloys_precedence(string expression, double expected)
    {
        Assert.Equal(new NumberValue(expected), Eval(expression));
    }

    [Theory]
    [InlineData("1 < 2 && 2 < 3 || false", true)]
    [InlineData("!true || 1 + 1 == 2", true)]
    [InlineData("\"a\" + \"b\" == \"ab\"", true)]
    [InlineData("!(1 == 1)", false)]
    public void Comparison_and_logic_bind_below_arithmetic(string expression, bool expected)
    {
        Assert.Equal(new BoolValue(expected), Eval(expression));
    }

    [Theory]
    [InlineData("\"tab\\there\"", "tab\there")]
    [InlineData("\"q\\\"uote\"", "q\"uote")]
    [InlineData("\"\\u00e9\\x41\\101\\U0001F600\"", "éAA😀")]
    [InlineData("`raw \\n stays`", "raw \\n stays")]
    [InlineData("`two\nlines`", "two\nlines")]
    public void Strings_decode_Go_escapes_and_raw_strings_keep_everything(string literal, string expected)
    {
        Assert.Equal(new StringValue(expected), Eval(literal));
    }

    [Fact]
    public void Member_access_indexing_and_calls_compose()
    {
        Assert.Equal(new NumberValue(2), Eval("{ a = [1, 2, 3] }.a[1]"));
        Assert.Equal(new StringValue("v"), Eval("{ \"quoted.key\" = \"v\" }[\"quoted.key\"]"));
        Assert.Equal(NullValue.Instance, Eval("{ a = 1 }[\"missing\"]"));
        Assert.Equal(new StringValue("http://h:4040"), Eval("string.format(\"http://%s:%d\", \"h\", 4040)"));
        Assert.Equal("[1, 2]", Eval("array.concat([1], [2])").Describe());
    }

    [Fact]
    public void The_last_of_duplicate_object_keys_wins()
    {
        var value = Assert.IsType<ObjectValue>(Eval("{ region = \"a\", region = \"b\" }"));
        Assert.Equal(new StringValue("b"), value.Get("region"));
    }

    [Fact]
    public void An_environment_variable_stays_a_named_unknown_unless_supplied()
    {
        var unknown = Assert.IsType<UnknownValue>(Eval("sys.env(\"PYROSCOPE_URL\")"));
        Assert.Equal("sys.env(\"PYROSCOPE_URL\")", unknown.What);
        Assert.Equal(new SourcePosition("e", 1, 1), unknown.At);
        Assert.Equal(new StringValue("http://x"), Eval("env(\"PYROSCOPE_URL\")", new Dictionary<string, string> { ["PYROSCOPE_URL"] = "http://x" }));
    }

    [Fact]
    public void Coalesce_over_an_unknown_keeps_the_fallback_as_the_assumed_value()
    {
        var unknown = Assert.IsType<UnknownValue>(Eval("string.format(\"http://%s\", coalesce(sys.env(\"HOST\"), \"localhost:4040\"))"));
        Assert.Equal(new StringValue("http://localhost:4040"), unknown.Assumed);
    }

    [Fact]
    public void Trailing_comma_is_optional_on_one_line_and_required_before_a_bracket_on_a_later_line()
    {
        Assert.Empty(Parser.ParseFile("c.alloy", "a = [1, 2,]\nb = [\n  1,\n  2,\n]\nc = {\n  x = 1,\n}\n").Errors);
        Assert.Equal("c.alloy:3:4: missing ',' in expression list", OnlyError("a = [\n  1,\n  2\n]\n"));
        Assert.Equal("c.alloy:2:8: missing ',' in field list", OnlyError("a = {\n  x = 1\n}\n"));
    }

    [Fact]
    public void Comments_may_follow_code_and_sit_inside_expressions()
    {
        var file = Parser.ParseFile("c.alloy", "/* head */\nblock \"l\" { // trailing\n  a = [/* none */] // after\n  b = 1 /* x */\n}");
        Assert.Empty(file.Errors);
        Assert.Equal(["/* head */", "// trailing", "/* none */", "// after", "/* x */"], file.Comments.Select(c => c.Text));
        var block = Assert.IsType<BlockStatement>(Assert.Single(file.Body));
        Assert.Equal(2, block.Body.Count);
    }

    [Fact]
    public void Blocks_fit_on_one_line_and_nested_blocks_may_have_dotted_names()
    {
        var file = Parser.ParseFile("c.alloy", "x \"l\" { a = 1 }\nprofiling_config { profile.memory { enabled = true } }");
        Assert.Empty(file.Errors);
        var nested = Assert.IsType<BlockStatement>(((BlockStatement)file.Body[1]).Body[0]);
        Assert.Equal("profile.memory", nested.Name);
    }

    [Theory]
    [InlineData("a \"with space\" { }", "c.alloy:1:3: expected block label to be a valid identifier, but got \"with space\"")]
    [InlineData("a label { }", "c.alloy:1:3: expected block label, got identifier label")]
    [InlineData("a.b = 1", "c.alloy:1:1: attribute names may only consist of a single identifier with no \".\"")]
    [InlineData("a = { 1 = 2 }", "c.alloy:1:7: expected field name (string or identifier), got number 1")]
    [InlineData("a = \"open", "c.alloy:1:5: string literal not terminated")]
    [InlineData("a = 'x'", "c.alloy:1:5: illegal single-quoted string; use double quotes")]
    [InlineData("a = \"\\q\"", "c.alloy:1:7: unknown escape sequence")]
    [InlineData("a = 1 b = 2", "c.alloy:1:7: expected a newline after the statement, got identifier b")]
    public void Errors_carry_file_line_and_column(string text, string expected)
    {
        Assert.Equal(expected, Parser.ParseFile("c.alloy", text).Errors[0].ToString());
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("(", ")")]
    [InlineData("{x=", "}")]
    [InlineData("-", "")]
    [InlineData("!", "")]
    [InlineData("1+", "1")]
    [InlineData("a.", "b")]
    public void Hostile_nesting_is_refused_with_an_error_not_a_stack_overflow(string open, string close)
    {
        int depth = 100_000;
        string text = "a = " + string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var file = Parser.ParseFile("deep.alloy", text);
        Assert.Contains(file.Errors, e => e.Message.Contains($"nesting deeper than {Parser.MaxDepth} levels"));
    }

    [Fact]
    public void Deep_block_nesting_is_refused_too()
    {
        string text = string.Concat(Enumerable.Repeat("b {\n", 50_000)) + string.Concat(Enumerable.Repeat("}\n", 50_000));
        Assert.Contains(Parser.ParseFile("deep.alloy", text).Errors, e => e.Message.Contains("nesting deeper"));
    }

    [Fact]
    public void A_string_that_parses_as_a_number_converts_on_assignment()
    {
        // Alloy converts strings to numbers where a number is expected (syntax/internal/value/value.go).
        var pipeline = PipelineReader.Read(AlloyConfig.Read([LintTests.CorpusFile("23")]));
        Assert.Equal(4040, Assert.Single(pipeline.Receivers).Options.ListenPort);
        Assert.Equal(10, Assert.Single(pipeline.Endpoints).Options.MaxBackoffRetries);
    }
}
