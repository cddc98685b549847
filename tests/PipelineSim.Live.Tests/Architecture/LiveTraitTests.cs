using System.Reflection;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Architecture;

/// <summary>
/// test.sh runs this project after every other, alone, because its tests run real servers on real time; the
/// trait says so to any other runner (<c>--filter Category!=Live</c> leaves them all out, <c>Category=Live</c> takes
/// them all). A test class added without it would run among the busy simulation tests there.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class LiveTraitTests
{
    [Fact]
    public void Every_test_in_the_live_project_carries_the_live_trait()
    {
        var untraited = typeof(LiveTraitTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(method => method.GetCustomAttributes<FactAttribute>(inherit: true).Any())
                .Where(method => !IsLive(method) && !IsLive(type))
                .Select(method => $"{type.Name}.{method.Name}"))
            .ToList();

        Assert.Empty(untraited);
    }

    private static bool IsLive(MemberInfo member) =>
        member.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments.Select(c => c.Value as string).SequenceEqual([LiveTrait.Name, LiveTrait.Value]));
}
