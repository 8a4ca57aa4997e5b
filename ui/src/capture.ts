import { mount } from 'svelte';
import Capture from './capture/Capture.svelte';
import './styles/base.css';

export default mount(Capture, { target: document.getElementById('app')! });
