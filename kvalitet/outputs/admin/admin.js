// Starts Decap CMS with the project's YAML format, its Danish wording and three fixes to Decap's
// widgets (config.yml beside this file is made by kvalitet from the content models):
//   - an optional group of fields (an `object` with required: false, such as an offer's address
//     or a standard's "Sådan søger du" box) left empty does not block the save; Decap checks its
//     required sub-fields even when the whole group is empty (decaporg/decap-cms#7748, #2103);
//   - removing an item of a list of objects (an offer, a term, a section, a contact, ...) asks
//     first, naming the item;
//   - `kv-janej`: a yes/no question answered with two radio buttons, with no answer chosen in
//     advance (Decap's boolean toggle always shows "no" and cannot be left unanswered).
// With the local backend (kvalitet edit: <html data-backend="proxy">) the form says what really
// happens: "Gem" and "Gemt" instead of "Publicer", "Publiceret" and "Vis live"; and every save
// says which version of the file its data was read from, so the server refuses to overwrite a
// file that changed in the meantime (in a text editor, or from another tab).
import YAML from './yaml/index.js';          // npm "yaml" v2, its plain ES-module build
import { yamlKeepFormat } from './yaml-keep.js';

const CMS = window.CMS;
const h = window.h;                            // React.createElement, as Decap exposes it
const LOCAL = document.documentElement.dataset.backend === 'proxy';

// --- the YAML format, and the version each save is made from ----------------------------------

const madeFrom = new Map();   // a text the format wrote -> the text it was made from (null: new)
const replaced = new Map();   // a version this page saved over -> the version it wrote
const schema = path => `# yaml-language-server: $schema=${path}.schema.json\n`;
CMS.registerCustomFormat('yaml-keep', 'yaml', yamlKeepFormat(YAML, {
  onWrite(text, source) { madeFrom.set(text, source); },
  // a file the form creates starts with the line that gives editors completion in VS Code
  headers: { redirects: schema('../schemas/redirects'), standard: schema('../../../schemas/standard') },
}));

async function sha256(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
}

// Decap keeps the text it first read in the entry's data, also after this page has saved the
// file: a version this page replaced itself stands for the version it wrote.
function current(version) {
  const seen = new Set();
  while (replaced.has(version) && !seen.has(version)) {
    seen.add(version);
    version = replaced.get(version);
  }
  return version;
}

function alertBox(message) {
  let box = document.getElementById('kv-alert');
  if (!box) {
    box = document.createElement('div');
    box.id = 'kv-alert';
    box.className = 'kv-alert';
    box.setAttribute('role', 'alert');
    const text = document.createElement('p');
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Luk beskeden';
    close.addEventListener('click', () => box.remove());
    box.append(text, close);
    document.body.append(box);
  }
  box.querySelector('p').textContent = message;
  box.querySelector('button').focus();
}

if (LOCAL) {
  const send = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input && input.url;
    let body;
    try {
      body = url && url.endsWith('/api/v1') && init && typeof init.body === 'string' ? JSON.parse(init.body) : null;
    } catch (e) {
      body = null;
    }
    if (!body || body.action !== 'persistEntry' || !Array.isArray(body.params?.dataFiles)) {
      return send(input, init);
    }
    const bases = [];
    for (const file of body.params.dataFiles) {
      const source = madeFrom.get(file.raw);
      file.base = source === undefined ? undefined : source === null ? null : current(await sha256(source));
      bases.push(file.base);
    }
    const response = await send(input, { ...init, body: JSON.stringify(body) });
    const answer = await response.clone().json().catch(() => ({}));
    if (response.ok) {
      body.params.dataFiles.forEach((file, i) => {
        const written = answer.versions && answer.versions[file.path];
        if (bases[i] && written) replaced.set(bases[i], written);
        madeFrom.delete(file.raw);
      });
      document.getElementById('kv-alert')?.remove();
    } else {
      alertBox(answer.error || 'Ikke gemt: redigeringens server svarede ikke. Tjek, at make edit kører i terminalen, og prøv igen.');
    }
    return response;
  };
}

// Decap tells whether a form holds unsaved changes by comparing it with the entry as first
// loaded, and keeps that entry after a save: so removing again what was just saved (or undoing a
// saved change) looks like "no changes" ("Gemt") and cannot be saved. After each save, the saved
// entry becomes the one compared with (an entry loaded anew, as Decap's own loadEntry records
// it, in its Redux store, found from React's root: Decap exposes no API for it).
function decapStore() {
  const root = document.getElementById('nc-root');
  const key = root && Object.keys(root).find(k => k.startsWith('__reactContainer$'));
  const queue = key ? [root[key]] : [];
  for (let n = 0; queue.length && n < 20000; n++) {
    const fiber = queue.shift();
    if (!fiber) continue;
    const store = fiber.memoizedProps && fiber.memoizedProps.store;
    if (store && typeof store.dispatch === 'function' && typeof store.getState === 'function') return store;
    queue.push(fiber.child, fiber.sibling);
  }
  return null;
}
CMS.registerEventListener({
  name: 'postSave',
  handler: ({ entry }) => {
    const store = decapStore();
    if (!store || !entry || typeof entry.toJS !== 'function') return;
    const saved = entry.delete('isPersisting').toJS();
    store.dispatch({ type: 'ENTRY_SUCCESS', payload: { collection: entry.get('collection'), entry: saved } });
  },
});

// --- Danish wording ---------------------------------------------------------------------------

const da = CMS.getLocale('da');
const control = da.editor.editorControlPane;
// Decap's "Skriver til Tilbud samlingen" is not Danish word order.
const toolbar = { ...da.editor.editorToolbar, backCollection: ' Tilbage til %{collectionLabel}' };
const local = !LOCAL ? { editorToolbar: toolbar } : {
  editorToolbar: {
    ...toolbar,
    publish: 'Gem', published: 'Gemt', publishing: 'Gemmer …', publishNow: 'Gem nu',
    publishAndCreateNew: 'Gem og opret en ny', publishAndDuplicate: 'Gem og kopiér',
    duplicate: 'Kopiér', deployButtonLabel: 'Se i forhåndsvisningen',
  },
};
CMS.registerLocale('da', {  // registerLocale replaces the whole set: merge
  ...da,
  editor: {
    ...da.editor,
    ...local,
    // Decap's Danish for a field that does not match its pattern is "Id matchede ikke:
    // <message>.": show the Danish message from config.yml alone.
    editorControlPane: { ...control, widget: { ...control.widget, regexPattern: '%{pattern}' } },
  },
  mediaLibrary: { ...da.mediaLibrary,
                  mediaLibraryModal: { ...da.mediaLibrary.mediaLibraryModal,
                                       mediaAssets: 'Billeder og filer' } },
  ui: !LOCAL ? da.ui : {
    ...da.ui,
    toast: {
      ...da.ui.toast,
      entrySaved: 'Dokumentet er gemt på denne computer (ikke udgivet). Se ændringen i forhåndsvisningen om et øjeblik: er der noget, der skal rettes, viser den en fejlside med, hvad du skal gøre.',
      onFailToPersist: 'Dokumentet er ikke gemt. Læs beskeden øverst på siden.',
    },
  },
});

// --- widgets ----------------------------------------------------------------------------------

const plain = value => (value && typeof value.toJS === 'function' ? value.toJS() : value);
const blank = value => value === undefined || value === null ||
  (typeof value === 'string' && !value.trim()) ||
  (Array.isArray(value) && value.every(blank)) ||
  (typeof value === 'object' && !Array.isArray(value) && Object.values(value).every(blank));

function clearErrors(widget) {  // a field's own errors and those of the fields inside it
  widget?.props?.onValidate?.([]);
  const inner = widget?.innerWrappedControl;
  Object.values(inner?.childRefs || {}).forEach(clearErrors);
}

// An optional group of fields, left empty, is not checked (and not written: yaml-keep leaves an
// empty group out of the file); once anything in it is filled in, all of it is checked.
const object = CMS.getWidget('object');
class OptionalObjectControl extends object.control {
  constructor(props) {
    super(props);
    const checkAll = this.validate;
    this.validate = () => {
      if (this.props.field.get('required', true) === false && blank(plain(this.props.value))) {
        Object.values(this.childRefs).forEach(clearErrors);
        return;
      }
      checkAll();
    };
  }
}
CMS.registerWidget('object', OptionalObjectControl, object.preview, object.schema);

// Removing an item of a list of objects asks first.
const list = CMS.getWidget('list');
class ConfirmedListControl extends list.control {
  constructor(props) {
    super(props);
    const remove = this.handleRemove;
    this.handleRemove = (index, event) => {
      event?.preventDefault?.();
      const field = this.props.field;
      if (field.get('fields')) {
        const item = this.props.value && this.props.value.get(index);
        const what = (field.get('label_singular') || field.get('label') || 'punkt').toLowerCase();
        const name = item ? String(this.objectLabel(item) || '').trim() : '';
        const question = `Slet ${what}${name ? ` "${name}"` : ''}?\n\nDet fjernes fra filen, ` +
          'når du gemmer. Har det en adresse på det udgivne site, siger forhåndsvisningen ' +
          'bagefter, hvad der skal til, så gamle links stadig virker.';
        if (!window.confirm(question)) return;
      }
      remove(index, event || { preventDefault() {} });
    };
  }
}
CMS.registerWidget('list', ConfirmedListControl, list.preview, list.schema);

// A yes/no question with no answer chosen: `options` [{label, value: true}, {label, value:
// false}]; required: true means it must be answered.
const YesNoControl = window.createClass({
  render() {
    const { value, onChange, forID, classNameWrapper, field, setActiveStyle, setInactiveStyle } = this.props;
    const options = plain(field.get('options')) || [{ label: 'Ja', value: true }, { label: 'Nej', value: false }];
    return h('div', { className: `${classNameWrapper} kv-janej`, role: 'radiogroup', 'aria-label': field.get('label') },
      options.map((option, i) => h('label', { key: String(option.value), className: 'kv-janej__svar' },
        h('input', {
          type: 'radio', id: i === 0 ? forID : `${forID}-${i}`, name: forID,
          checked: value !== undefined && value !== null && String(value) === String(option.value),
          onChange: () => onChange(option.value), onFocus: setActiveStyle, onBlur: setInactiveStyle,
        }),
        ` ${option.label}`)));
  },
});
CMS.registerWidget('kv-janej', YesNoControl, props => h('p', null, String(props.value ?? '')));

// A new standard's id (the folder content/standards/<id>/ and the address /<id>/), typed by the
// editor: Decap's own slugs turn "ø" into "o", the content format writes "oe". A button makes it
// from the title by the format's transliteration; nothing is chosen without it. An existing
// standard shows its id (its folder: it cannot be renamed here). A site's own name and a
// standard's id that exists are refused (locally: the folder is read through the API).
// config: {widget: kv-id, pattern: [regex, message], reserved: [...], folder: "content/standards"}
const LETTERS = { æ: 'ae', ø: 'oe', å: 'aa', ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', '&': ' og ' };
export function idFrom(title) {
  const text = Array.from(String(title || '').toLowerCase(), c => LETTERS[c] ?? c).join('')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return (text.match(/[a-z0-9]+/g) || []).join('-');
}
const IdControl = window.createClass({
  getInitialState() { return { taken: [] }; },
  componentDidMount() {
    if (!LOCAL || !this.isNew()) return;
    const folder = this.props.field.get('folder');
    window.fetch('/api/v1', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'entriesByFolder', params: { branch: 'main', folder, extension: 'yaml', depth: 2 } }) })
      .then(r => r.json()).then(found => this.setState({
        taken: (Array.isArray(found) ? found : []).map(e => (e.file.path.slice(folder.length + 1).split('/')[0])) }))
      .catch(() => undefined);
  },
  isNew() { return Boolean(this.props.entry && this.props.entry.get('newRecord')); },
  slug() { return String(this.props.entry && this.props.entry.get('slug') || '').split('/')[0]; },
  // Decap checks presence and the pattern on this: an existing standard has its id already
  getValidateValue() { return this.isNew() ? this.props.value : this.slug(); },
  isValid() {
    const value = String(this.props.value || '');
    const reserved = plain(this.props.field.get('reserved')) || [];
    const problem = !this.isNew() || !value ? null
      : reserved.includes(value) ? `"${value}" er et af sitets egne navne. Vælg et andet id.`
      : this.state.taken.includes(value) ? `Der er allerede en standard med id'et "${value}". Vælg et andet id.`
      : null;
    return problem ? { error: { type: 'CUSTOM', message: problem } } : true;
  },
  render() {
    const { value, onChange, forID, classNameWrapper, getEntry, setActiveStyle, setInactiveStyle } = this.props;
    if (!this.isNew()) {
      return h('p', { className: classNameWrapper, id: forID },
        `${this.slug()} (adressen /${this.slug()}/). Id'et er mappens navn og kan ikke ændres i formularen.`);
    }
    const fromTitle = () => onChange(idFrom(getEntry && getEntry().getIn(['data', 'title'])));
    return h('div', { className: `${classNameWrapper} kv-id` },
      h('input', { id: forID, type: 'text', value: value || '', onChange: e => onChange(e.target.value),
        onFocus: setActiveStyle, onBlur: setInactiveStyle, autoComplete: 'off', spellCheck: false }),
      h('p', { className: 'kv-id__forslag' },
        h('button', { type: 'button', onClick: fromTitle }, 'Lav id ud fra titlen'),
        ' (æ, ø og å skrives ae, oe og aa; du kan rette id\'et bagefter)'));
  },
});
CMS.registerWidget('kv-id', IdControl, props => h('p', null, String(props.value ?? '')));

// --- no media -----------------------------------------------------------------------------------
// The content has no images or files (content-format.md), and the server refuses them. Decap's
// own media library still showed "Medier" with an upload button that failed in English; this
// library is the one config.yml names (media_library), and it hides the menu entry.
CMS.registerMediaLibrary({ name: 'kv-ingen', init: () => ({ show: () => undefined,
                                                            enableStandalone: () => false }) });

CMS.init();
