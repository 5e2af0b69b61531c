// What TestLHCForms calls in the page. render(q, qr) converts the FHIR
// R4 Questionnaire q for LHC-Forms, merges the QuestionnaireResponse qr
// into it (none: an empty form), adds it to the page and, once LHC-Forms
// has run its expressions, gives back shown(). shown() is what the page
// shows of each item, read from the page: its linkId, its question, the
// answers as displayed (the radio button or check-box checked and its
// label, or the text in the field); an item branching leaves out is not
// on the page at all. The test ticks answers itself, clicking them as a
// person would.
'use strict';

// settle waits until the page has been still for a while.
function settle(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms || 300));
}

window.render = async function (q, qr) {
  let lf = LForms.Util.convertFHIRQuestionnaireToLForms(q, 'R4');
  if (qr) {
    lf = LForms.Util.mergeFHIRDataIntoLForms('QuestionnaireResponse', qr, lf, 'R4');
  }
  await LForms.Util.addFormToPage(lf, 'form', { fhirVersion: 'R4' });
  await settle();
  return window.shown();
};

window.shown = function () {
  const out = [];
  document.querySelectorAll('#form label[id^="label-"]').forEach((label) => {
    const id = label.getAttribute('for') || '';
    const row = label.closest('.lhc-de');
    const item = { linkId: id.replace(/\/1$/, ''), text: label.textContent.trim(), answers: [] };
    if (row) {
      row.querySelectorAll('.ant-radio-wrapper-checked, .ant-checkbox-wrapper-checked').forEach((a) => {
        item.answers.push({ id: a.id, label: a.textContent.trim() });
      });
      const input = document.getElementById(id);
      if (input && input.tagName === 'INPUT' && input.value !== '') {
        item.answers.push({ id: id, label: input.value.trim() });
      }
    }
    out.push(item);
  });
  return out;
};

window.lformsReady = function () {
  return !!(window.LForms && LForms.Util && LForms.Util.convertFHIRQuestionnaireToLForms && LForms.FHIR && LForms.FHIR.R4);
};
