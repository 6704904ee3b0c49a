# An admin's regression check of lead capture: this week's web-form submissions against the current export of
# leads and contacts. Existing people must not be duplicated: a known lead is updated, a known contact gets a
# linked lead and the credit, and only new people become new leads. Pester 5 syntax; runs under Invoke-Pester and
# the test project's runner.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
}

Describe 'Capturing this week''s web-form submissions' {
    BeforeAll {
        $export = [System.IO.Path]::Combine($TestDrive, 'export.json')
        [System.IO.File]::WriteAllText($export, @'
[
  { "attributes": { "type": "Lead" }, "Id": "00Q5e00000Cap1AAAC", "FirstName": "Robert", "LastName": "Smith", "Email": "bob.smith@example.com", "Company": "Acme", "CreatedDate": "2024-01-05T10:00:00.000+0000" },
  { "attributes": { "type": "Lead" }, "Id": "00Q5e00000Cap2AAAC", "FirstName": "Jonathan", "LastName": "Meyer", "Phone": "(415) 555-0199", "Company": "Globex" },
  { "attributes": { "type": "Contact" }, "Id": "0035e00000Cap3AAAC", "FirstName": "An", "LastName": "Nguyen", "Email": "an.nguyen@example.com" }
]
'@)
        $existing = @(Import-CrmRecord $export)
        $submissions = @(
            @{ FirstName = 'Bob'; LastName = 'Smith'; Email = ' Bob.Smith@Example.com'; Title = 'CTO' }
            @{ FirstName = 'J'; LastName = 'Meyer'; Phone = '415.555.0199'; Email = 'jmeyer@globex.example' }
            @{ FirstName = 'An'; LastName = 'Nguyen'; Email = 'AN.NGUYEN@example.com'; Company = 'Example Corp' }
            @{ FirstName = 'Mei'; LastName = 'Tanaka'; Email = 'mei.tanaka@example.jp' }
            @{ FirstName = 'Mei'; LastName = 'Tanaka'; Email = 'mei.tanaka@example.jp'; Phone = '+81 3 5555 0100' }
        )
        $results = @($submissions | Add-CrmLead -ExistingRecord $existing -ErrorVariable captureErrors -ErrorAction SilentlyContinue)
    }

    It 'decides every submission without errors' {
        $results | Should -HaveCount 5
        $captureErrors | Should -HaveCount 0
    }

    It 'updates the known lead for <FirstName> <LastName>' -ForEach @(
        @{ Index = 0; FirstName = 'Bob'; LastName = 'Smith'; LeadId = '00Q5e00000Cap1AAAC'; Rule = 'Name+Email' }
        @{ Index = 1; FirstName = 'J'; LastName = 'Meyer'; LeadId = '00Q5e00000Cap2AAAC'; Rule = 'Name+Phone' }
    ) {
        $r = $results[$Index]
        $r.Action | Should -BeExactly 'UpdatedLead'
        $r.LeadId | Should -BeExactly $LeadId
        $r.Rule | Should -BeExactly $Rule
    }

    It 'keeps the name the lead already has and takes the new fields' {
        $results[0].Lead.FirstName | Should -BeExactly 'Robert'
        $results[0].Lead.Title | Should -BeExactly 'CTO'
        $results[1].Lead.Email | Should -BeExactly 'jmeyer@globex.example'
        $results[1].UpdatedFields | Should -Contain 'Email'
    }

    It 'links the known contact''s submission to the contact and credits the contact' {
        $r = $results[2]
        $r.Action | Should -BeExactly 'LinkedToContact'
        $r.Lead.ContactId | Should -BeExactly '0035e00000Cap3AAAC'
        $r.CreditedToId | Should -BeExactly '0035e00000Cap3AAAC'
        $r.Reason | Should -BeLike '*contact 0035e00000Cap3AAAC*'
    }

    It 'creates one lead for a new person who registered twice' {
        $results[3].Action | Should -BeExactly 'CreatedLead'
        $results[4].Action | Should -BeExactly 'UpdatedLead'
        $results[4].LeadId | Should -BeExactly $results[3].LeadId
        @($results | Where-Object Action -eq 'CreatedLead') | Should -HaveCount 1
    }

    It 'leaves the export itself unchanged' {
        $existing[0].FirstName | Should -BeExactly 'Robert'
        $existing[0].PSObject.Properties['Title'] | Should -BeNullOrEmpty
    }
}
