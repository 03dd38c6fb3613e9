namespace Sharptime.Tests.Pooling;

/// <summary>The public pooling settings: defaults, validation, and copies that keep engines independent of later edits.</summary>
public sealed class PoolingConfigTests
{
    [Fact]
    public void NewConfigAllocatesOnDemand() => Assert.Null(new Config().PoolingAllocationConfig);

    [Fact]
    public void PoolingAllocationKeepsTheGivenSettings()
    {
        var config = new Config().PoolingAllocation(new PoolingAllocationConfig { TotalMemories = 7, TableElements = 99 });

        Assert.Equal(7, config.PoolingAllocationConfig!.TotalMemories);
        Assert.Equal(99u, config.PoolingAllocationConfig.TableElements);
    }

    [Fact]
    public void ChangingTheSettingsObjectAfterwardsDoesNotChangeTheConfig()
    {
        var pooling = new PoolingAllocationConfig { TotalMemories = 7 };
        var config = new Config().PoolingAllocation(pooling);

        pooling.TotalMemories = 8;

        Assert.Equal(7, config.PoolingAllocationConfig!.TotalMemories);
    }

    [Fact]
    public void ChangingTheReturnedSettingsDoesNotChangeTheEngine()
    {
        using var engine = new Engine(new Config().PoolingAllocation(new PoolingAllocationConfig { TotalMemories = 7 }));

        engine.Config.PoolingAllocationConfig!.TotalMemories = 8;

        Assert.Equal(7, engine.Config.PoolingAllocationConfig!.TotalMemories);
    }

    [Fact]
    public void ChangingTheConfigAfterCreatingTheEngineDoesNotChangeTheEngine()
    {
        var config = new Config().PoolingAllocation(new PoolingAllocationConfig { TotalMemories = 7 });
        using var engine = new Engine(config);

        config.OnDemandAllocation();

        Assert.Equal(7, engine.Config.PoolingAllocationConfig!.TotalMemories);
    }

    [Fact]
    public void OnDemandAllocationTurnsPoolingOff() =>
        Assert.Null(new Config().PoolingAllocation(new PoolingAllocationConfig()).OnDemandAllocation().PoolingAllocationConfig);

    [Fact]
    public void NullSettingsAreRejected() => Assert.Throws<ArgumentNullException>(() => new Config().PoolingAllocation(null!));

    public static TheoryData<string, Action<PoolingAllocationConfig>> InvalidSettings => new()
    {
        { "TotalMemories", p => p.TotalMemories = 0 },
        { "TotalTables", p => p.TotalTables = -1 },
        { "TotalCoreInstances", p => p.TotalCoreInstances = PoolingAllocationConfig.MaxSlots + 1 },
        { "MaxMemorySize", p => p.MaxMemorySize = 65537 },
        { "MaxMemorySize", p => p.MaxMemorySize = (1UL << 32) + 65536 },
        { "MaxMemorySize", p => p.MaxMemorySize = 0 },
        { "TableElements", p => p.TableElements = 0 },
        { "MaxCoreInstanceSize", p => p.MaxCoreInstanceSize = 100 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void OutOfRangeSettingIsRejectedNamingIt(string setting, Action<PoolingAllocationConfig> set)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => set(new PoolingAllocationConfig()));

        Assert.Contains(setting, e.Message);
    }
}
