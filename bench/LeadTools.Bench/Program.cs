using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;

namespace LeadTools.Bench
{
    /// <summary>
    /// The SPEC 9.5 benchmark. Without <c>--workload</c> it orchestrates: generates the data, then runs every
    /// workload at every size in a child process of itself (so each has its own peak memory and a cold start,
    /// as a user's session would), runs the peers, and prints the figures, the ratios and the growth factors.
    /// With <c>--workload NAME --file F</c> it is such a child.
    /// </summary>
    public static class Program
    {
        internal const string Usage =
            "usage: dotnet run -c Release --project bench/LeadTools.Bench -- [options]\n" +
            "  --sizes 10000,100000,1000000   lead counts to run (default: 10000,100000,1000000)\n" +
            "  --quick                        10,000 leads, one run per workload (a smoke run)\n" +
            "  --repeat N                     runs per in-process workload (default 2: first is cold, best is reported too)\n" +
            "  --seed N                       generator seed (default 42)\n" +
            "  --duplicate-rate X             share of leads that are noisy copies (default 0.1)\n" +
            "  --only a,b                     run only these workloads (names as printed); with --quality: sets containing a word, strategies named\n" +
            "  --quality                      print precision/recall/F1 of the strategies on ../shared/data/linkage\n" +
            "  --no-peers                     skip python3 and jq\n" +
            "  --profile                      also time the import in stages (where the time goes)\n" +
            "  --profile-stages 1,5,6         only these profile stages (implies --profile)\n" +
            "  --huge                         also run $x = Import-CrmRecord above 200,000 leads (needs ~20 KiB of memory per lead)\n" +
            "  --regenerate                   write the data files even when they exist\n" +
            "  --data DIR                     where data and results go (default bench/data)\n";

        /// <summary>Entry point.</summary>
        public static int Main(string[] args)
        {
            try
            {
                var options = BenchOptions.Parse(args);
                if (options.Help)
                {
                    Console.WriteLine(Usage);
                    return 0;
                }
                if (options.Quality) return QualityCommand.Run(options.Only);
                return options.Workload != null ? RunChild(options) : RunOrchestrator(options);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                Console.Error.WriteLine(Usage);
                return 64;
            }
        }

        // Separate methods so that a PowerShell child never JIT-compiles code that touches LeadTools.Core
        // before the module has imported its own copy.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int RunChild(BenchOptions options) => ChildProcess.Run(options);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int RunOrchestrator(BenchOptions options) => new Orchestrator(options).Run();
    }

    /// <summary>Command-line options of the orchestrator and of a child.</summary>
    internal sealed class BenchOptions
    {
        public List<long> Sizes { get; private set; } = new List<long> { 10_000, 100_000, 1_000_000 };
        public bool Quick { get; private set; }
        public int Repeat { get; private set; } = 2;
        public int Seed { get; private set; } = 42;
        public double DuplicateRate { get; private set; } = 0.1;
        public HashSet<string>? Only { get; private set; }
        public bool NoPeers { get; private set; }
        public bool Regenerate { get; private set; }
        public bool Profile { get; private set; }
        public bool Huge { get; private set; }
        public HashSet<int>? ProfileStages { get; private set; }
        public string? DataDir { get; private set; }
        public bool Help { get; private set; }

        // Child options.
        public string? Workload { get; private set; }

        /// <summary>--quality: score the strategies against the labelled sets instead of timing.</summary>
        public bool Quality { get; private set; }
        public string? File { get; private set; }
        public string? Output { get; private set; }
        public long Count { get; private set; }

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            var sizesGiven = false;
            var repeatGiven = false;
            for (var i = 0; i < args.Length; i++)
            {
                var a = args[i];
                string Value()
                {
                    if (i + 1 >= args.Length) throw new ArgumentException($"{a} needs a value.");
                    return args[++i];
                }
                switch (a)
                {
                    case "--sizes":
                        o.Sizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseCount).ToList();
                        sizesGiven = true;
                        break;
                    case "--quality":
                        o.Quality = true;
                        break;
                    case "--quick":
                        o.Quick = true;
                        break;
                    case "--repeat":
                        o.Repeat = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture));
                        repeatGiven = true;
                        break;
                    case "--seed":
                        o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--duplicate-rate":
                        o.DuplicateRate = double.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--only":
                        o.Only = new HashSet<string>(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                        break;
                    case "--no-peers":
                        o.NoPeers = true;
                        break;
                    case "--profile-stages":
                        o.ProfileStages = new HashSet<int>(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)));
                        o.Profile = true;
                        break;
                    case "--huge":
                        o.Huge = true;
                        break;
                    case "--profile":
                        o.Profile = true;
                        break;
                    case "--regenerate":
                        o.Regenerate = true;
                        break;
                    case "--data":
                        o.DataDir = Value();
                        break;
                    case "--workload":
                        o.Workload = Value();
                        break;
                    case "--file":
                        o.File = Value();
                        break;
                    case "--out":
                        o.Output = Value();
                        break;
                    case "--count":
                        o.Count = ParseCount(Value());
                        break;
                    case "-h":
                    case "--help":
                    case "-?":
                        o.Help = true;
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{a}'.");
                }
            }
            if (o.Quick)
            {
                if (!sizesGiven) o.Sizes = new List<long> { 10_000 };
                if (!repeatGiven) o.Repeat = 1;
            }
            return o;
        }

        /// <summary>10000, 10k, 1m, 1_000_000.</summary>
        private static long ParseCount(string s)
        {
            s = s.Replace("_", "").Trim().ToLowerInvariant();
            long mult = 1;
            if (s.EndsWith("k", StringComparison.Ordinal)) { mult = 1_000; s = s[..^1]; }
            else if (s.EndsWith("m", StringComparison.Ordinal)) { mult = 1_000_000; s = s[..^1]; }
            var n = long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) * mult;
            if (n < 1 || n > 100_000_000) throw new ArgumentException($"'{s}' is not a record count between 1 and 100,000,000.");
            return n;
        }
    }
}
