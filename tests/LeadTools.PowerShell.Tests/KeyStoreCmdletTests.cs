using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Convert-LeadRecord and the key-store cmdlets through the hosted engine; crash safety with a real child process.</summary>
    public class KeyStoreCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-keys", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        private const string Leads = @"
            $leads = @(
                [pscustomobject]@{ Id = '00Q000000000001AAA'; FirstName = 'Ada'; LastName = 'Lovelace'; Company = 'Acme'; Email = 'ada@acme.test' }
                [pscustomobject]@{ Id = '00Q000000000002AAA'; FirstName = 'Alan'; LastName = 'Turing'; Company = 'Bletchley'; Email = 'alan@b.test' }
                [pscustomobject]@{ Id = '00Q000000000003AAA'; FirstName = 'Grace'; LastName = 'Hopper'; Company = ''; Email = 'grace@navy.test'; IsConverted = $false }
            )";

        [Fact]
        public void ConvertsAPipelineAndRecordsEveryKey()
        {
            var state = Scratch();
            var changes = Path.Combine(state, "changes");
            var r = Run(Leads + @"
                $results = $leads | Convert-LeadRecord -StatePath $state -ConvertedDate '2026-11-24' -ChangeFolder $changes
                $results.Count
                $results[0].Contact.FirstName
                $results[0].Lead.Status
                (Resolve-ContactKey -Id 00Q000000000001AAA -StatePath $state).ContactKey -eq $results[0].ContactId
                (Import-CrmRecord ($changes + '/Lead-update.csv')).Count",
                ("state", state), ("changes", changes));
            Assert.Equal(new object[] { 2, "Ada", "Closed - Converted", true, 2 }, r.Output.Select(o => o.BaseObject).ToArray());
            var error = Assert.Single(r.Errors);
            Assert.Equal("LeadHasNoCompany,LeadTools.PowerShell.Commands.ConvertLeadRecordCommand", error.FullyQualifiedErrorId);
            Assert.Equal(4, KeyStoreSession.Open(state, false).Store.Count);
        }

        [Fact]
        public void WhatIfShowsTheConversionButWritesNothing()
        {
            var state = Scratch();
            var r = Run(Leads + @"
                ($leads | Convert-LeadRecord -StatePath $state -AllowPersonAccount -ChangeFolder ($state + '/changes') -WhatIf).Count
                (Resolve-ContactKey 00Q000000000001AAA -StatePath $state).Known", ("state", state));
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 3, false }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.False(File.Exists(Path.Combine(state, KeyStoreSession.FileName)));
            Assert.False(Directory.Exists(Path.Combine(state, "changes")));
        }

        [Fact]
        public void ConvertingAgainIsRefusedFromTheKeyStore()
        {
            var state = Scratch();
            var r = Run(Leads + @"
                $null = $leads[0] | Convert-LeadRecord -StatePath $state
                $leads[0] | Convert-LeadRecord -StatePath $state", ("state", state));
            Assert.Empty(r.Output);
            Assert.Equal("AlreadyConverted,LeadTools.PowerShell.Commands.ConvertLeadRecordCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void ExistingTargetsBindByPropertyName()
        {
            var state = Scratch();
            var r = Run(@"
                $existing = @(
                    [pscustomobject]@{ Id = '001000000000001AAA'; Name = 'Acme'; PSTypeName = 'LeadTools.CrmRecord#Account' }
                    [pscustomobject]@{ Id = '003000000000001AAA'; AccountId = '001000000000001AAA'; LastName = 'Lovelace'; Email = $null; PSTypeName = 'LeadTools.CrmRecord#Contact' }
                )
                $plan = [pscustomobject]@{ Id = '00Q000000000001AAA'; LastName = 'Lovelace'; Company = 'Acme'; Email = 'ada@acme.test'; ContactId = '003000000000001AAA'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
                $result = $plan | Convert-LeadRecord -ExistingRecord $existing -StatePath $state -DoNotCreateOpportunity
                $result.ContactIsNew; $result.Contact.Email; $result.FilledFields -join ','; $result.OpportunityId -eq $null", ("state", state));
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { false, "ada@acme.test", "Contact.Email", true }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void DeletionCheckAndHistoryThroughThePipeline()
        {
            var state = Scratch();
            var r = Run(Leads + @"
                $converted = $leads[0..1] | Convert-LeadRecord -StatePath $state
                $sends = @(
                    [pscustomobject]@{ Id = 'a0A1'; et4ae5__Lead_ID__c = '00Q000000000001AAA'; et4ae5__DateSent__c = '2026-01-01T00:00:00.000Z'; PSTypeName = 'LeadTools.CrmRecord#et4ae5__IndividualEmailResult__c' }
                    [pscustomobject]@{ Id = 'a0A2'; et4ae5__Contact_ID__c = $converted[0].ContactId; et4ae5__DateSent__c = '2026-12-01T00:00:00.000Z'; PSTypeName = 'LeadTools.CrmRecord#et4ae5__IndividualEmailResult__c' }
                )
                ($sends | Get-ContactHistory -Id 00Q000000000001AAA -StatePath $state | ForEach-Object RecordId) -join ','
                $leads | Test-ContactKeyDeletion -StatePath $state -Unsafe | ForEach-Object Id
                (Get-AlternateKey -Id $converted[1].ContactId -StatePath $state).Count", ("state", state));
            Assert.Empty(r.Errors);
            // Grace was never converted nor registered: Unknown is not safe either (issue 14).
            Assert.Equal(new object[] { "a0A1,a0A2", "00Q000000000001AAA", "00Q000000000002AAA", "00Q000000000003AAA", 2 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ASecondRunGetsAClearLockError()
        {
            var state = Scratch();
            using (KeyStoreSession.Open(state, forWrite: true))
            {
                var r = Run(Leads + "\n$leads[0] | Convert-LeadRecord -StatePath $state", ("state", state));
                var error = Assert.Single(r.Errors);
                Assert.Equal("StateLocked,LeadTools.PowerShell.Commands.ConvertLeadRecordCommand", error.FullyQualifiedErrorId);
                Assert.Contains("in use by another LeadTools run", error.Exception.Message);
            }
        }

        [Fact]
        public void AMappingFileErrorNamesTheKey()
        {
            var state = Scratch();
            var mapping = Path.Combine(state, "mapping.json");
            File.WriteAllText(mapping, "{ \"Contact\": { \"Email\": 7 } }");
            var r = Run(Leads + "\n$leads[0] | Convert-LeadRecord -StatePath $state -MappingPath $m", ("state", state), ("m", mapping));
            var error = Assert.Single(r.Errors);
            Assert.Equal("InvalidMapping,LeadTools.PowerShell.Commands.ConvertLeadRecordCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Contact.Email", error.Exception.Message);
        }

        [Fact]
        public void KillingARunMidSaveLeavesTheOldOrTheNewStoreNeverACorruptOne()
        {
            var state = Scratch();
            // The old state: 1,000 keys.
            var old = new AlternateKeyStore();
            for (var i = 0; i < 1000; i++) old.Register("00Qold" + i, "Lead", DateTime.UtcNow);
            old.Save(Path.Combine(state, KeyStoreSession.FileName));
            // A big input for the child: 200,000 leads to register.
            var input = Path.Combine(state, "leads.jsonl");
            using (var w = new StreamWriter(input))
            {
                for (var i = 0; i < 200_000; i++) w.WriteLine("{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Qnew" + i + "\",\"LastName\":\"N" + i + "\"}");
            }
            var outcomes = new List<int>();
            foreach (var delayAfterTemp in new[] { 0, 15, 40 })
            {
                using var child = StartShell($"Import-CrmRecord '{input}' | Add-AlternateKey -StatePath '{state}'");
                var sawTemp = WaitFor(() => Directory.GetFiles(state, "." + KeyStoreSession.FileName + ".*.tmp").Length > 0 || child.HasExited, TimeSpan.FromSeconds(120));
                Thread.Sleep(delayAfterTemp);
                if (!child.HasExited) child.Kill(entireProcessTree: true);
                child.WaitForExit();
                Assert.True(sawTemp);
                var store = AlternateKeyStore.Load(Path.Combine(state, KeyStoreSession.FileName)); // never throws: old or new, complete
                Assert.True(store.Count == 1000 || store.Count == 201_000, "store holds " + store.Count);
                outcomes.Add(store.Count);
                if (store.Count == 201_000) break;
            }
            // And the lock died with the process: the next run gets in.
            using (KeyStoreSession.Open(state, forWrite: true))
            {
            }
            Assert.Contains(1000, outcomes);
        }

        private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < timeout)
            {
                if (condition()) return true;
                Thread.Sleep(2);
            }
            return false;
        }

        private static Process StartShell(string command)
        {
            var config = AppContext.BaseDirectory.Contains(Path.DirectorySeparatorChar + "Release" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "Release" : "Debug";
            var shell = Path.Combine(Paths.RepoRoot, "src", "LeadTools.Shell", "bin", config, "net10.0", "leadtools.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(shell);
            info.ArgumentList.Add("-Command");
            info.ArgumentList.Add(command);
            info.Environment["LEADTOOLS_MODULE"] = Paths.ModuleManifest;
            var p = Process.Start(info)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }
    }
}
