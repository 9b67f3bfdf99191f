/* Capacity declarations on a phone: the households × items table shown as one household card at a time,
   with previous / next. On a wide screen the table stays a grid. Without this script every card shows. */
(function () {
  'use strict';
  var pager = document.getElementById('capacity-pager');
  if (!pager) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll('tr.capacity-card'));
  var phone = window.matchMedia('(max-width: 700px)'), current = 0;
  var firstError = cards.findIndex(function (card) { return card.querySelector('.field-error'); });
  if (firstError >= 0) { current = firstError; }

  function show() {
    cards.forEach(function (card, n) { card.hidden = phone.matches && n !== current; });
    pager.hidden = !phone.matches || cards.length < 2;
    pager.querySelector('.pager-position').textContent =
      pager.dataset.position.replace('{n}', current + 1).replace('{total}', cards.length);
    pager.querySelector('[data-page="-1"]').disabled = current === 0;
    pager.querySelector('[data-page="1"]').disabled = current === cards.length - 1;
  }

  pager.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-page]');
    if (!button) { return; }
    current = Math.max(0, Math.min(cards.length - 1, current + Number(button.dataset.page)));
    show();
    var input = cards[current].querySelector('input');
    if (input) { input.focus({ preventScroll: true }); }
  });
  phone.addEventListener('change', show);
  show();
}());
