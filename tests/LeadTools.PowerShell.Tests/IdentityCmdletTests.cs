using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Seed 000 through the real binder: conversions done in Salesforce picked up from a lead export, provisional ids
    /// re-keyed from what Salesforce answered to the inserts, the deletion check and the ContactKey count; and a damaged key
    /// store refused (StateCorrupt, file and line) and left as it was.
    /// </summary>
    public class IdentityCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-identity", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        // A Data Loader lead export after conversions done in Salesforce: Ada converted into a new contact, Alan into the
        // existing contact Turing (15-character id, as reports write them), Grace not converted, Edsger converted but the
        // export lacks his ConvertedContactId.
        private const string LeadExport =
            "Id,FirstName,LastName,Email,Status,IsConverted,ConvertedContactId,ConvertedDate\r\n" +
            "00Q5e00000Ad01AEAR,Ada,Lovelace,ada@acme.test,Closed - Converted,true,0035e00000Ad01AAAR,2026-10-01\r\n" +
            "00Q5e00000At02AEAR,Alan,Turing,alan@b.test,Closed - Converted,true,0035e00000Tu01A,2026-10-02\r\n" +
            "00Q5e00000Gh03AEAR,Grace,Hopper,grace@navy.test,Working,false,,\r\n" +
            "00Q5e00000Ed04AEAR,Edsger,Dijkstra,ewd@utexas.test,Closed - Converted,true,,2026-10-03\r\n";

        private const string ContactExport =
            "Id,FirstName,LastName,Email\r\n" +
            "0035e00000Tu01AAAR,Alan,Turing,alan@b.test\r\n";

        [Fact]
        public void AddAlternateKeyPicksUpConversionsDoneInSalesforce()
        {
            // Seed 000: "When you then convert the Lead to a Contact, the values change and the ContactID replaces the LeadID".
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            File.WriteAllText(Path.Combine(dir, "Lead.csv"), LeadExport);
            File.WriteAllText(Path.Combine(dir, "Contact.csv"), ContactExport);
            var r = Run(@"
                Import-CrmRecord ""$dir/Contact.csv"" | Add-AlternateKey -StatePath $state
                # Grace was registered earlier as her own key; so was Ada, before she was converted.
                [pscustomobject]@{ Id = '00Q5e00000Ad01AEAR'; ObjectType = 'Lead' } | Add-AlternateKey -StatePath $state
                Import-CrmRecord ""$dir/Lead.csv"" | Add-AlternateKey -StatePath $state -ErrorVariable problems -ErrorAction SilentlyContinue
                $problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }
                Resolve-ContactKey -Id 00Q5e00000Ad01AEAR, 00Q5e00000At02AEAR, 00Q5e00000Gh03AEAR, 00Q5e00000Ed04AEAR -StatePath $state |
                    ForEach-Object { '{0} {1} {2}' -f $_.Id, $_.ContactKey, $_.How }
                (Get-AlternateKey -Id 00Q5e00000Ad01AEAR -StatePath $state | Where-Object Id -eq '00Q5e00000Ad01AEAR').At.ToString('yyyy-MM-dd')
                $check = Test-ContactKeyDeletion -Id 00Q5e00000Ad01AEAR, 00Q5e00000At02A, 00Q5e00000Gh03AEAR, 00Q5e00000Ed04AEAR -StatePath $state -Unsafe -ExistingRecord (Import-CrmRecord ""$dir/Contact.csv"")
                $check | ForEach-Object { '{0} {1} {2}' -f $_.Id, $_.Status, $_.LiveRecordId }
                $check[1].Reason
                $check[1].LiveRecord.Email",
                ("dir", dir), ("state", state));
            Assert.Null(r.Exception);
            Assert.DoesNotContain(r.Errors, e => !e.FullyQualifiedErrorId.StartsWith("ConvertedContactUnknown", StringComparison.Ordinal));
            var lines = r.Output.Select(o => o.BaseObject?.ToString()).ToList();
            Assert.Equal(new[]
            {
                "ConvertedContactUnknown",
                "00Q5e00000Ad01AEAR 0035e00000Ad01AAAR Converted",
                "00Q5e00000At02AEAR 0035e00000Tu01AAAR Converted",
                "00Q5e00000Gh03AEAR 00Q5e00000Gh03AEAR Created",
                "00Q5e00000Ed04AEAR  ",
                "2026-10-01",
                "00Q5e00000Ad01AEAR DeletesLiveContact 0035e00000Ad01AAAR",
                "00Q5e00000At02A DeletesLiveContact 0035e00000Tu01AAAR",
                "00Q5e00000Ed04AEAR Unknown ",
            }, lines.Take(9).ToArray());
            Assert.Contains("Alan Turing <alan@b.test>", lines[9]);
            Assert.Equal("alan@b.test", lines[10]);

            // Reading the same export again changes nothing: the file is not even rewritten.
            var file = Path.Combine(state, KeyStoreSession.FileName);
            var before = File.ReadAllBytes(file);
            var again = Run(@"Import-CrmRecord ""$dir/Lead.csv"" | Add-AlternateKey -StatePath $state -ErrorAction SilentlyContinue", ("dir", dir), ("state", state));
            Assert.Null(again.Exception);
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        [Fact]
        public void ConvertLeadRecordRefusesAConvertedLeadButRecordsItsConversion()
        {
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            File.WriteAllText(Path.Combine(dir, "Lead.csv"), LeadExport);
            var r = Run(@"
                Import-CrmRecord ""$dir/Lead.csv"" | Where-Object IsConverted -eq 'true' | Convert-LeadRecord -StatePath $state -WhatIf -ErrorAction SilentlyContinue
                (Resolve-ContactKey 00Q5e00000Ad01AEAR -StatePath $state).Known
                Import-CrmRecord ""$dir/Lead.csv"" | Where-Object IsConverted -eq 'true' | Convert-LeadRecord -StatePath $state -ErrorVariable problems -ErrorAction SilentlyContinue
                $problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }
                (Resolve-ContactKey 00Q5e00000Ad01AEAR -StatePath $state).ContactKey
                $problems[0].Exception.Message",
                ("dir", dir), ("state", state));
            Assert.Null(r.Exception);
            var lines = r.Output.Select(o => o.BaseObject?.ToString()).ToList();
            Assert.Equal("False", lines[0]); // -WhatIf saved nothing
            Assert.Equal(new[] { "AlreadyConverted", "AlreadyConverted", "AlreadyConverted" }, lines.Skip(1).Take(3).ToArray());
            Assert.Equal("0035e00000Ad01AAAR", lines[4]);
            Assert.Contains("recorded in the key store", lines[5]);
        }

        [Fact]
        public void InsertFilesJoinBackToTheDataLoaderSuccessFileAndTheTreeResult()
        {
            // Seed 000: "their SalesforceID will change but they're still the same person ... so the Marketing Cloud will need to
            // ensure we're still mapping all of that correctly": Marketing Cloud knows the inserted contact by Salesforce's id.
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            var changes = Path.Combine(dir, "changes");
            var r = Run(@"
                $leads = @(
                    [pscustomobject]@{ Id = '00Q5e00000Tw1dAEAZ'; FirstName = 'Sofia'; LastName = 'Rossi'; Company = 'Rossi Logistica'; Email = 'sofia.rossi@example.it'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
                    [pscustomobject]@{ Id = '00Q5e00000Tw2eAEAZ'; FirstName = 'Jonas'; LastName = 'Berg'; Company = 'Berg Bygg AB'; Email = 'jonas.berg@example.se'; PSTypeName = 'LeadTools.CrmRecord#Lead' }
                )
                $leads | Convert-LeadRecord -StatePath $state -ChangeFolder $changes | ForEach-Object ContactId",
                ("state", state), ("changes", changes));
            Assert.Empty(r.Errors);
            // The help's sample result files use these provisional ids.
            Assert.Equal(new object[] { "003LTi7AT8kDUBn0QG", "003LTi7JzwupVUPaKm" }, r.Output.Select(o => o.BaseObject).ToArray());

            // Data Loader: the success file has the insert file's columns, with ID (the new id) written over its Id column.
            var insert = File.ReadAllLines(Path.Combine(changes, "Contact-insert.csv"));
            var header = insert[0].Split(',').ToList();
            var idCol = header.IndexOf("Id");
            Assert.Contains(InsertedIds.ProvisionalIdColumn, header);
            var success = new StringBuilder("\"" + string.Join("\",\"", header.Select(h => h.ToUpperInvariant())) + "\",\"STATUS\"\r\n");
            var newIds = new[] { "0035e00000Nw1dAAAC", "0035e00000Nw2eAAAC" };
            for (var i = 1; i < insert.Length; i++)
            {
                var cells = insert[i].Split(',');
                cells[idCol] = newIds[i - 1];
                success.Append("\"" + string.Join("\",\"", cells) + "\",\"Item Created\"\r\n");
            }
            File.WriteAllText(Path.Combine(dir, "success.csv"), success.ToString());
            var rekey = Run(@"
                Update-ContactKey -Path ""$dir/success.csv"" -StatePath $state -PassThru | ForEach-Object { '{0} {1} {2}' -f $_.ProvisionalId, $_.Result, $_.ContactKey }
                (Resolve-ContactKey 00Q5e00000Tw1dAEAZ -StatePath $state).ContactKey
                (Measure-ContactKey -StatePath $state).ProvisionalKeys",
                ("dir", dir), ("state", state));
            Assert.Empty(rekey.Errors);
            Assert.Equal(new object[] { "003LTi7AT8kDUBn0QG Rekeyed 0035e00000Nw1dAAAC", "003LTi7JzwupVUPaKm Rekeyed 0035e00000Nw2eAAAC", "0035e00000Nw1dAAAC", 0 },
                rekey.Output.Select(o => o.BaseObject).ToArray());

            // sf data import tree: the tree file refers to each new record by its provisional id, and the result maps it.
            var treeFiles = Directory.GetFiles(changes, "*.json").Select(File.ReadAllText).ToList();
            Assert.Contains(treeFiles, t => t.Contains("\"referenceId\": \"003LTi7AT8kDUBn0QG\"") || t.Contains("\"referenceId\":\"003LTi7AT8kDUBn0QG\""));
            File.WriteAllText(Path.Combine(dir, "tree-result.json"),
                "{\"status\":0,\"result\":[{\"refId\":\"003LTi7AT8kDUBn0QG\",\"type\":\"Contact\",\"id\":\"0035e00000Nw1dAAAC\"},{\"refId\":\"006LTi7IkW1nYOJX2l\",\"type\":\"Opportunity\",\"id\":\"0065e00000Nw1dAAAC\"},{\"refId\":\"003LTi7JzwupVUPaKm\",\"type\":\"Contact\",\"id\":\"0035e00000Zz9zAAAC\"}]}");
            var file = Path.Combine(state, KeyStoreSession.FileName);
            var before = File.ReadAllBytes(file);
            var treeRun = Run(@"
                Update-ContactKey ""$dir/tree-result.json"" -StatePath $state -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue | ForEach-Object Result
                $problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }",
                ("dir", dir), ("state", state));
            // Read again: already re-keyed; the opportunity is not in the store; a different id for Jonas is a conflict.
            Assert.Equal(new object[] { "AlreadyRekeyed", "NotInStore", "Conflict", "KeyConflict" }, treeRun.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal(before, File.ReadAllBytes(file));
        }

        [Fact]
        public void UpdateContactKeyReportsBadResultFilesAndGoesOn()
        {
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            File.WriteAllText(Path.Combine(dir, "no-id.csv"), "NAME,STATUS\r\nx,Item Created\r\n");
            File.WriteAllText(Path.Combine(dir, "failed.json"), "{\"status\":1,\"name\":\"DuplicateRefIdError\",\"message\":\"duplicate referenceId\"}");
            File.WriteAllText(Path.Combine(dir, "ok.csv"), "\"ID\",\"LEADTOOLS_PROVISIONALID\",\"STATUS\"\r\n\"0035e00000Nw1dAAAC\",\"\",\"Item Created\"\r\n\"0035e00000Nw2eAAAC\",\"003LTi7JzwupVUPaKm\",\"Item Created\"\r\n");
            var r = Run(@"
                [pscustomobject]@{ Id = '00Q5e00000Tw2eAEAZ'; LastName = 'Berg'; Company = 'Berg Bygg AB'; PSTypeName = 'LeadTools.CrmRecord#Lead' } | Convert-LeadRecord -StatePath $state | Out-Null
                Update-ContactKey -Path ""$dir/no-id.csv"", ""$dir/missing.csv"", ""$dir/failed.json"", ""$dir/ok.csv"" -StatePath $state -ErrorVariable problems -ErrorAction SilentlyContinue
                $problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }
                $problems[3].Exception.Message
                (Resolve-ContactKey 00Q5e00000Tw2eAEAZ -StatePath $state).ContactKey",
                ("dir", dir), ("state", state));
            Assert.Null(r.Exception);
            var lines = r.Output.Select(o => o.BaseObject?.ToString()).ToList();
            Assert.Equal(new[] { "BadHeader", "FileNotFound", "ApiErrorResponse", "MissingId" }, lines.Take(4).ToArray());
            Assert.Contains("ok.csv", lines[4]);
            Assert.Contains("line 2", lines[4]);
            Assert.Equal("0035e00000Nw2eAAAC", lines[5]);
        }

        [Fact]
        public void MeasureContactKeyCountsDistinctContactKeysOfAnExport()
        {
            // Seed 000: "This is usually a concern when it comes to Contact Utilization within Contact Builder."
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            File.WriteAllText(Path.Combine(dir, "Lead.csv"), LeadExport);
            File.WriteAllText(Path.Combine(dir, "Contact.csv"), ContactExport + "0035e00000Ad01AAAR,Ada,Lovelace,ada@acme.test\r\n");
            var r = Run(@"
                Import-CrmRecord ""$dir/Lead.csv"", ""$dir/Contact.csv"" | Add-AlternateKey -StatePath $state -ErrorAction SilentlyContinue
                $m = Import-CrmRecord ""$dir/Lead.csv"", ""$dir/Contact.csv"" | Measure-ContactKey -StatePath $state
                $m.Scope; $m.Ids; $m.ContactKeys; $m.Leads; $m.Contacts; $m.AlternateKeys; $m.UnknownIds
                (Measure-ContactKey -StatePath $state).ContactKeys",
                ("dir", dir), ("state", state));
            Assert.Null(r.Exception);
            // 6 records: Ada + her contact = 1, Alan + his contact = 1, Grace = 1, Edsger (unknown: his contact is not known) = 1.
            Assert.Equal(new object[] { "Records", 6, 4, 2, 2, 2, 1, 3 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ADamagedKeyStoreStopsEveryCommandWithFileAndLineAndIsNotRewritten()
        {
            var dir = Scratch();
            var state = Path.Combine(dir, "state");
            Directory.CreateDirectory(state);
            var file = Path.Combine(state, KeyStoreSession.FileName);
            // Line 3 points at a contact the file does not hold.
            File.WriteAllText(file,
                "{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":2}\n" +
                "{\"id\":\"00Q5e00000Gh03AEAR\",\"type\":\"Lead\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00Z\"}\n" +
                "{\"id\":\"00Q5e00000Ad01AEAR\",\"type\":\"Lead\",\"parent\":\"0035e00000Ad01AAAR\",\"how\":\"Converted\",\"at\":\"2026-01-01T00:00:00Z\"}\n");
            var before = File.ReadAllBytes(file);
            foreach (var command in new[]
            {
                "[pscustomobject]@{ Id = '00Q5e00000Zz01AAAC'; ObjectType = 'Lead' } | Add-AlternateKey -StatePath $state",
                "[pscustomobject]@{ Id = '00Q5e00000Zz01AAAC'; LastName = 'Z'; Company = 'Z'; PSTypeName = 'LeadTools.CrmRecord#Lead' } | Convert-LeadRecord -StatePath $state",
                "Resolve-ContactKey 00Q5e00000Ad01AEAR -StatePath $state",
                "Test-ContactKeyDeletion 00Q5e00000Ad01AEAR -StatePath $state",
                "Update-ContactKey -ProvisionalId 003LTi7AT8kDUBn0QG -SalesforceId 0035e00000Nw1dAAAC -StatePath $state",
                "Measure-ContactKey -StatePath $state",
            })
            {
                var r = Run(command, ("state", state));
                var error = r.Errors.FirstOrDefault() ?? (r.Exception as System.Management.Automation.RuntimeException)?.ErrorRecord;
                Assert.True(error != null, command + ": no error");
                Assert.StartsWith("StateCorrupt,", error!.FullyQualifiedErrorId);
                Assert.Contains(file + " line 3:", error.Exception.Message);
                Assert.Contains("0035e00000Ad01AAAR", error.Exception.Message);
                Assert.Equal(before, File.ReadAllBytes(file));
            }
        }
    }
}
