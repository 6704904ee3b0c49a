using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace LeadTools.Bench
{
    /// <summary>What a child process did: exit code, output, wall time and the peak resident memory seen.</summary>
    internal sealed class ProcessOutcome
    {
        public int ExitCode { get; init; }
        public string StdOut { get; init; } = "";
        public string StdErr { get; init; } = "";
        public double WallMs { get; init; }
        /// <summary>Highest VmHWM read from /proc while the process ran (0 where /proc is not there).</summary>
        public long PolledPeakBytes { get; init; }
    }

    /// <summary>Runs child processes, polling their peak resident set size (VmHWM) while they run.</summary>
    internal static class ProcessRunner
    {
        public static ProcessOutcome Run(string fileName, IEnumerable<string> args, string? workingDirectory = null)
        {
            var psi = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (var a in args) psi.ArgumentList.Add(a);
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            using var p = new Process { StartInfo = psi };
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
            var sw = Stopwatch.StartNew();
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            long peak = 0;
            while (!p.WaitForExit(20))
            {
                peak = Math.Max(peak, ReadHighWaterMark(p.Id));
            }
            var wall = sw.Elapsed.TotalMilliseconds;
            p.WaitForExit();
            return new ProcessOutcome { ExitCode = p.ExitCode, StdOut = stdout.ToString(), StdErr = stderr.ToString(), WallMs = wall, PolledPeakBytes = peak };
        }

        /// <summary>VmHWM of a live process in bytes, 0 when unknown.</summary>
        public static long ReadHighWaterMark(int pid)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            catch (FormatException)
            {
            }
            return 0;
        }

        /// <summary>The full path of a program on PATH, or null.</summary>
        public static string? Which(string name)
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>How to start this program again (the apphost, or dotnet with the dll).</summary>
        public static (string FileName, List<string> Prefix) Self()
        {
            var exe = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
            var prefix = new List<string>();
            if (string.Equals(Path.GetFileNameWithoutExtension(exe), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                prefix.Add(typeof(ProcessRunner).Assembly.Location);
            }
            return (exe, prefix);
        }
    }
}
