using BenchmarkDotNet.Running;
using Marketplace.Bench;

if (args.Length > 0 && args[0] == "quality")
{
    return QualityCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "import")
{
    return await ImportCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "claims")
{
    return await ClaimsCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "payouts")
{
    return await PayoutsCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "live")
{
    return await LiveCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ds-timing")
{
    return TimingCommand.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(QualityCommand).Assembly).Run(args);
return 0;
