using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.State;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Issue 13, "Commit order: state and change files are one unit" and "Done means": child processes (the built
    /// LeadTools shell) are killed with SIGKILL at each commit point (LEADTOOLS_FAULT=&lt;point&gt;, a test seam in the Core),
    /// or get an injected write failure there (LEADTOOLS_FAULT=io:&lt;point&gt;); the next run must end in a state equal to
    /// "never happened" or "completed", nothing lost. The oracle is a reference run without faults: after recovery the
    /// key store (links) and the change files (byte for byte) equal either the reference or the state before the run.
    /// </summary>
    public static class FaultHarness
    {
        public static string Scratch(string name)
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-faults", name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            return dir;
        }

        /// <summary>Runs the shell with <paramref name="command"/> and LEADTOOLS_FAULT=<paramref name="fault"/>; returns the exit code.</summary>
        public static int RunShell(string command, string? fault)
        {
            var config = AppContext.BaseDirectory.Contains(Path.DirectorySeparatorChar + "Release" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "Release" : "Debug";
            var shell = Path.Combine(Paths.RepoRoot, "src", "LeadTools.Shell", "bin", config, "net10.0", "leadtools.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(shell);
            info.ArgumentList.Add("-Command");
            info.ArgumentList.Add(command);
            info.Environment["LEADTOOLS_MODULE"] = Paths.ModuleManifest;
            if (fault != null) info.Environment[FaultInjection.EnvironmentVariable] = fault;
            else info.Environment.Remove(FaultInjection.EnvironmentVariable);
            using var p = Process.Start(info)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(180_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("The child run did not end: " + command);
            }
            p.WaitForExit();
            return p.ExitCode;
        }

        /// <summary>The key store's links (id, parent, how, deleted), without timestamps.</summary>
        public static string Keys(string state)
        {
            var path = Path.Combine(state, KeyStoreSession.FileName);
            if (!File.Exists(path)) return "(none)";
            return string.Join("|", AlternateKeyStore.Load(path).Entries.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id}>{e.Parent}:{e.How}:{e.Deleted}"));
        }

        /// <summary>Every file of a change folder with its content (the manifest without its run id and time).</summary>
        public static string Folder(string folder)
        {
            if (!Directory.Exists(folder)) return "(none)";
            var parts = new List<string>();
            foreach (var f in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(f);
                if (name == ChangeManifest.FileName)
                {
                    var m = ChangeManifest.Read(folder)!;
                    parts.Add($"manifest completed={m.Completed} files={string.Join(",", m.Files.Select(x => x.Name + ":" + x.Records + ":" + x.Sha256))}");
                }
                else parts.Add(name + "\n" + File.ReadAllText(f));
            }
            return string.Join("\n--\n", parts);
        }

        /// <summary>Files the state folder holds apart from locks (what an interrupted run could leave behind).</summary>
        public static string[] Leftovers(string state) =>
            Directory.Exists(Path.Combine(state, "runs"))
                ? Directory.GetDirectories(Path.Combine(state, "runs")).Where(d => Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal) || File.Exists(Path.Combine(d, "pending"))).ToArray()
                : Array.Empty<string>();

        public static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        /// <summary>Runs a script in-process and asserts it ran without errors or warnings.</summary>
        public static void RunClean(string script)
        {
            var r = TestHost.Run(script);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Empty(r.Warnings);
        }
    }

    /// <summary>Convert-LeadRecord killed at every commit point, and injected write failures.</summary>
    public class ConvertFaultTests
    {
        private static string Leads(string dir)
        {
            var path = Path.Combine(dir, "Lead.jsonl");
            File.WriteAllLines(path, Enumerable.Range(1, 20).Select(i =>
                $"{{\"attributes\":{{\"type\":\"Lead\"}},\"Id\":\"00Q0000000000{i:D2}AAA\",\"FirstName\":\"F{i}\",\"LastName\":\"L{i}\",\"Company\":\"Co{i % 4}\",\"Email\":\"p{i}@x.test\"}}"));
            var related = Path.Combine(dir, "CampaignMember.jsonl");
            File.WriteAllLines(related, Enumerable.Range(1, 20).Select(i =>
                $"{{\"attributes\":{{\"type\":\"CampaignMember\"}},\"Id\":\"00v0000000000{i:D2}AAA\",\"CampaignId\":\"701A\",\"LeadId\":\"00Q0000000000{i:D2}AAA\"}}"));
            return path;
        }

        private static string Command(string dir, string state, string changes) =>
            $"Import-CrmRecord '{Path.Combine(dir, "Lead.jsonl")}' | Convert-LeadRecord -StatePath '{state}' -ChangeFolder '{changes}' -ConvertedDate 2026-11-24 -RelatedRecord (Import-CrmRecord '{Path.Combine(dir, "CampaignMember.jsonl")}') | Out-Null";

        // The reference run (no fault) runs in-process: the same script, the same module.
        private static (string Keys, string Changes) Reference(string dir)
        {
            var state = Path.Combine(dir, "ref-state");
            var changes = Path.Combine(dir, "ref-changes");
            FaultHarness.RunClean(Command(dir, state, changes));
            return (FaultHarness.Keys(state), FaultHarness.Folder(changes));
        }

        [Fact]
        public void AKillAtAnyCommitPointEndsNeverHappenedOrCompleted()
        {
            var dir = FaultHarness.Scratch("convert");
            Leads(dir);
            var reference = Reference(dir);
            Assert.Contains("Contact-insert.csv", reference.Changes);
            Assert.Contains("manifest completed=True", reference.Changes);
            var outcomes = new List<string>();
            foreach (var point in FaultInjection.Points)
            {
                var state = Path.Combine(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var exit = FaultHarness.RunShell(Command(dir, state, changes), point);
                Assert.True(exit == 137, $"{point}: the child was not killed at its commit point (exit {exit})");
                // The next run: any command that opens the store recovers (a read-only one here).
                var next = FaultHarness.Run("Resolve-ContactKey -Id 00Q000000000001AAA -StatePath $state | Out-Null", ("state", state));
                Assert.Empty(next.Errors);
                Assert.Empty(FaultHarness.Leftovers(state));
                var keys = FaultHarness.Keys(state);
                var folder = FaultHarness.Folder(changes);
                var committed = point != "stage-file" && point != "staged";
                if (committed)
                {
                    Assert.Equal(reference.Keys, keys);
                    Assert.Equal(reference.Changes, folder);
                    outcomes.Add(point + ": completed");
                }
                else
                {
                    Assert.Equal("(none)", keys);
                    Assert.True(folder == "(none)", point + ": the change folder holds " + folder);
                    // Never happened: the same conversion runs again from scratch, no lead refused as AlreadyConverted.
                    FaultHarness.RunClean(Command(dir, state, changes));
                    Assert.Equal(reference.Keys, FaultHarness.Keys(state));
                    Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
                    outcomes.Add(point + ": never happened");
                }
                Assert.Single(next.Warnings);
            }
            Assert.Equal(FaultInjection.Points.Count, outcomes.Count);
        }

        [Fact]
        public void InjectedWriteFailuresEndNeverHappenedOrCompleted()
        {
            var dir = FaultHarness.Scratch("convert-io");
            Leads(dir);
            var reference = Reference(dir);
            foreach (var point in new[] { "stage-file", "publish-file" })
            {
                var state = Path.Combine(dir, point + "-state");
                var changes = Path.Combine(dir, point + "-changes");
                var exit = FaultHarness.RunShell(Command(dir, state, changes), "io:" + point);
                Assert.NotEqual(0, exit);
                var next = FaultHarness.Run("Resolve-ContactKey -Id 00Q000000000001AAA -StatePath $state | Out-Null", ("state", state));
                Assert.Empty(FaultHarness.Leftovers(state));
                if (point == "stage-file")
                {
                    Assert.Equal("(none)", FaultHarness.Keys(state));
                    Assert.Equal("(none)", FaultHarness.Folder(changes));
                }
                else
                {
                    Assert.Equal(reference.Keys, FaultHarness.Keys(state));
                    Assert.Equal(reference.Changes, FaultHarness.Folder(changes));
                }
            }
        }
    }
}
