# An admin's regression check of a conversion run: convert the web-form leads of the bundled sample data,
# then check that every old lead id still leads to its person, that deleting by an old id is caught, and that
# the change files for the CRM are there. Pester 5 syntax; runs under Invoke-Pester and the test project's runner.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
    $data = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../examples/data")
}

Describe 'Converting the web-form leads' {
    BeforeAll {
        $state = "$TestDrive/state"
        $changes = "$TestDrive/changes"
        $leads = @(Import-CrmRecord "$data/web-leads.jsonl")
        $results = @($leads | Convert-LeadRecord -StatePath $state -ConvertedDate '2026-11-24' -ChangeFolder $changes -ErrorVariable convertErrors -ErrorAction SilentlyContinue)
    }

    It 'converts every lead' {
        $results | Should -HaveCount $leads.Count
        $convertErrors | Should -HaveCount 0
    }

    It 'marks the leads converted with a date and no time' {
        foreach ($r in $results) {
            $r.Lead.IsConverted | Should -BeTrue
            $r.Lead.Status | Should -Be 'Closed - Converted'
            $r.Lead.ConvertedDate | Should -BeExactly '2026-11-24'
        }
    }

    It 'makes the contact the ContactKey of <_>' -ForEach @('00Q5e00000WebF1EAA', '00Q5e00000WebF2EAA') {
        $resolution = Resolve-ContactKey -Id $_ -StatePath $state
        $resolution.Known | Should -BeTrue
        $resolution.ContactKey | Should -BeLike '003*'
        $resolution.How | Should -Be 'Converted'
    }

    It 'catches a deletion by an old lead id' {
        $check = Test-ContactKeyDeletion -Id '00Q5e00000WebF1EAA' -StatePath $state
        $check.IsSafe | Should -BeFalse
        $check.Status | Should -Be 'DeletesLiveContact'
    }

    It 'lets through ids it does not know, saying so' {
        (Test-ContactKeyDeletion -Id '00Q000000000000XYZ' -StatePath $state).Status | Should -Be 'Unknown'
    }

    It 'writes the change files for the CRM' {
        "$changes/Lead-update.csv" | Should -Exist
        "$changes/Contact-insert.csv" | Should -Exist
        "$changes/Account-insert.csv" | Should -Exist
        @(Import-CrmRecord "$changes/Contact-insert.csv") | Should -HaveCount $leads.Count
    }

    It 'refuses to convert the same leads twice' {
        { $leads[0] | Convert-LeadRecord -StatePath $state -ErrorAction Stop } | Should -Throw -ErrorId 'AlreadyConverted,LeadTools.PowerShell.Commands.ConvertLeadRecordCommand'
    }

    It 'keeps the old key among the alternate keys' {
        $keys = @(Get-AlternateKey -Id '00Q5e00000WebF2EAA' -StatePath $state)
        $keys | Should -HaveCount 2
        $keys.Id | Should -Contain '00Q5e00000WebF2EAA'
    }
}

Describe 'Leads without a company' {
    It 'are refused unless person accounts are allowed' {
        $lead = [pscustomobject]@{ Id = '00Q000000000077AAA'; LastName = 'Solo'; Company = ''; PSTypeName = 'LeadTools.CrmRecord#Lead' }
        { $lead | Convert-LeadRecord -StatePath "$TestDrive/s2" -ErrorAction Stop } | Should -Throw -ErrorId 'LeadHasNoCompany,*'
        $result = $lead | Convert-LeadRecord -StatePath "$TestDrive/s2" -AllowPersonAccount
        $result.IsPersonAccount | Should -BeTrue
        $result.Account.IsPersonAccount | Should -BeTrue
    }
}
